/** @odoo-module **/
// The dashboard's bars per day: Odoo's dashboard_graph (the accounting
// dashboard's bar chart, Chart.js loaded lazily) with a value axis, so a
// bar can be read without hovering, and day labels that stay level.
import { registry } from "@web/core/registry";
import {
    JournalDashboardGraphField,
    journalDashboardGraphField,
} from "@web/views/fields/journal_dashboard_graph/journal_dashboard_graph_field";

export class MarketplaceDashboardGraphField extends JournalDashboardGraphField {
    getBarChartConfig() {
        const config = super.getBarChartConfig();
        const { x, y } = config.options.scales;
        const gridColor = x.grid.color;
        x.grid = { display: false };
        x.ticks = { ...x.ticks, maxRotation: 0, autoSkip: true, maxTicksLimit: 7 };
        config.options.scales.y = {
            ...y,
            display: true,
            beginAtZero: true,
            grid: { color: gridColor },
            border: { display: false },
            ticks: { color: x.ticks.color, maxTicksLimit: 3, precision: 0 },
        };
        return config;
    }
}

registry.category("fields").add("marketplace_dashboard_graph", {
    ...journalDashboardGraphField,
    component: MarketplaceDashboardGraphField,
});
