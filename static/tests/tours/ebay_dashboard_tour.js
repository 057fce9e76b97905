/** @odoo-module **/
// Read the eBay dashboard after throttled and failed calls (the test makes
// them against the emulator), then follow two figures to their records.
import { registry } from "@web/core/registry";

const CARD = ".o_kanban_record:has(.o_ebay_dash_account:contains('Dash seller'))";

registry.category("web_tour.tours").add("marketplace_connector_dashboard_tour", {
    steps: () => [
        {
            content: "Open the eBay menu",
            trigger: ".o_main_navbar button[data-menu-xmlid='marketplace_connector.ebay_menu_root']",
            run: "click",
        },
        {
            content: "Open eBay > Dashboard",
            trigger: ".dropdown-item[data-menu-xmlid='marketplace_connector.ebay_dashboard_menu']",
            run: "click",
        },
        {
            content: "Five calls were throttled today",
            trigger: `${CARD} .o_ebay_dash_throttled .o_ebay_dash_value:contains(/^\\s*5\\s*$/)`,
        },
        {
            content: "One listing failed",
            trigger: `${CARD} .o_ebay_dash_problem .o_ebay_dash_value:contains(/^\\s*1\\s*$/)`,
        },
        {
            content: "The listing that gave up waits in the dead-letter inbox",
            trigger: `${CARD} .o_ebay_dash_dead_letters .o_ebay_dash_value:contains(/^\\s*1\\s*$/)`,
        },
        {
            content: "One listing is live",

            trigger: `${CARD} .o_ebay_dash_live .o_ebay_dash_value:contains(/^\\s*1\\s*$/)`,
        },
        {
            content: "One order was imported today",
            trigger: `${CARD} .o_ebay_dash_orders .o_ebay_dash_value:contains(/^\\s*1\\s*$/)`,
        },
        {
            content: "The 500 counts as a failed call",
            trigger: `${CARD} .o_ebay_dash_failed_calls .o_ebay_dash_value:not(:contains(/^\\s*0\\s*$/))`,
        },
        {
            content: "Open the throttled calls",
            trigger: `${CARD} .o_ebay_dash_throttled`,
            run: "click",
        },
        {
            content: "The throttled calls are listed",
            trigger: ".o_list_view .o_data_row td[name='http_status']:contains(429)",
        },
        {
            content: "All five of them, and only them",
            trigger: ".o_control_panel .o_pager_limit:contains(/^5$/)",
        },
        {
            content: "They are the failing SKU's",
            trigger: ".o_list_view .o_data_row td[name='listing_id']:contains('DASH-FAIL')",
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb .o_back_button",
            run: "click",
        },
        {
            content: "Open the failed listings",
            trigger: `${CARD} .o_ebay_dash_problem`,
            run: "click",
        },
        {
            content: "The failing SKU is there",
            trigger: ".o_list_view .o_data_row td[name='sku']:contains('DASH-FAIL')",
        },
        {
            content: "It is the only one",
            trigger: ".o_control_panel .o_pager_limit:contains(/^1$/)",
        },
        {
            content: "It gave up retrying",
            trigger: ".o_list_view .o_data_row td[name='state']:contains('Failed')",
        },
        {
            content: "Back to the dashboard again",
            trigger: ".o_breadcrumb .o_back_button",
            run: "click",
        },
        {
            content: "Open the calls of the week",
            trigger: `${CARD} .o_ebay_dash_calls`,
            run: "click",
        },
        {
            content: "They open as a graph per day and outcome",
            trigger: ".o_graph_view .o_graph_renderer canvas",
        },
        {
            content: "Switch to the pivot",
            trigger: ".o_switch_view.o_pivot",
            run: "click",
        },
        {
            content: "The pivot splits them by outcome",
            trigger: ".o_pivot thead th:contains('Failed')",
        },
        {
            content: "Back to the dashboard once more",
            trigger: ".o_breadcrumb .o_back_button",
            run: "click",
        },
        {
            content: "Open the delay from sale to Odoo",
            trigger: `${CARD} .o_ebay_dash_order_delay`,
            run: "click",
        },
        {
            content: "The delay opens as a graph per import day",
            trigger: ".o_graph_view .o_graph_renderer canvas",
        },
    ],
});
