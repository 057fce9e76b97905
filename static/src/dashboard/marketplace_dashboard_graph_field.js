/** @odoo-module **/
// The dashboard's bars per day: Odoo's dashboard_graph (the accounting
// dashboard's bar chart, Chart.js loaded lazily) with a value axis, so a
// bar reads without hovering, level day labels that always include today,
// and a warning colour for the bars that ask for attention (throttling).
import { cookie } from "@web/core/browser/cookie";
import { getColor } from "@web/core/colors/colors";
import { registry } from "@web/core/registry";
import {
    JournalDashboardGraphField,
    journalDashboardGraphField,
} from "@web/views/fields/journal_dashboard_graph/journal_dashboard_graph_field";

// Odoo's small chart palette: 0 blue, 3 orange.
const BAR_COLORS = { normal: 0, warning: 3 };
const MAX_DAY_LABELS = 7;

export class MarketplaceDashboardGraphField extends JournalDashboardGraphField {
    getBarChartConfig() {
        const config = super.getBarChartConfig();
        const scheme = cookie.get("color_scheme");
        const points = this.data[0].values;
        config.data.datasets[0].backgroundColor = points.map((point) =>
            getColor(BAR_COLORS[point.type] ?? BAR_COLORS.normal, scheme, "sm")
        );
        const { x, y } = config.options.scales;
        const gridColor = x.grid.color;
        const labels = config.data.labels;
        // Every step-th day counted back from today, so today is labelled.
        const step = Math.ceil(labels.length / MAX_DAY_LABELS);
        x.grid = { display: false };
        x.ticks = {
            ...x.ticks,
            autoSkip: false,
            maxRotation: 0,
            callback: (_value, index) =>
                (labels.length - 1 - index) % step === 0 ? labels[index] : "",
        };
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
