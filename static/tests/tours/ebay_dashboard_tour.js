/** @odoo-module **/
// Read the eBay dashboard after throttled and failed calls (the test makes
// them against the emulator), then follow two figures to their records.
// An Amazon account's card stands beside the eBay one; the channel filter
// leaves the Amazon cards only.
import { registry } from "@web/core/registry";

const CARD = ".o_kanban_record:has(.o_marketplace_dash_account:contains('Dash seller'))";
const AMAZON_CARD = ".o_kanban_record:has(.o_marketplace_dash_account:contains('Dash Amazon seller'))";

// What the records say, read by the test and passed in a cookie: the figures
// and graphs must show exactly these, not merely draw something.
function expected() {
    const cookie = document.cookie
        .split("; ")
        .find((c) => c.startsWith("ebay_dashboard_expected="));
    if (!cookie) {
        throw new Error("the test passes the expected figures in a cookie");
    }
    return JSON.parse(decodeURIComponent(cookie.split("=")[1]));
}

async function chartOf(canvas) {
    for (let tries = 0; tries < 100; tries++) {
        const chart = window.Chart && window.Chart.getChart(canvas);
        if (chart) {
            return chart;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error("no chart was drawn on the graph's canvas");
}

function canonical(value) {
    // Objects compare by their entries, whatever the order of the keys.
    return JSON.stringify(
        value && typeof value === "object" ? Object.entries(value).sort() : value
    );
}

function assertEqual(actual, wanted, what) {
    if (canonical(actual) !== canonical(wanted)) {
        throw new Error(
            `${what}: the graph shows ${JSON.stringify(actual)}, ` +
                `the records say ${JSON.stringify(wanted)}`
        );
    }
}

registry.category("web_tour.tours").add("marketplace_connector_dashboard_tour", {
    steps: () => [
        {
            content: "Open the Marketplaces menu",
            trigger: ".o_main_navbar button[data-menu-xmlid='marketplace_connector.marketplace_menu_root']",
            run: "click",
        },
        {
            content: "Open Marketplaces > Dashboard",
            trigger: ".dropdown-item[data-menu-xmlid='marketplace_connector.marketplace_dashboard_menu']",
            run: "click",
        },
        {
            content: "The eBay account's card says eBay",
            trigger: `${CARD} .o_marketplace_dash_channel:contains(/^\\s*eBay\\s*$/)`,
        },
        {
            content: "The Amazon account's card is beside it and says Amazon",
            trigger: `${AMAZON_CARD} .o_marketplace_dash_channel:contains(/^\\s*Amazon\\s*$/)`,
        },
        {
            content: "The Amazon card shows when its LWA client secret must be rotated",
            trigger: `${AMAZON_CARD} .o_amazon_dash_client_secret .o_marketplace_dash_value:contains(${JSON.stringify(expected().amazon.secret_expires)})`,
        },
        {
            content: "and that its notifications queue is not set up",
            trigger: `${AMAZON_CARD} .o_amazon_dash_sqs .o_marketplace_dash_value:contains(${JSON.stringify(expected().amazon.sqs)})`,
        },
        {
            content: "The eBay card has no Amazon lines",
            trigger: `${CARD}:not(:has(.o_amazon_dash_sqs)):not(:has(.o_amazon_dash_client_secret))`,
        },
        {
            content: "Open the search options",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Filter on Amazon",
            trigger: ".o_filter_menu .o_menu_item:contains(/^\\s*Amazon\\s*$/)",
            run: "click",
        },
        {
            content: "Only Amazon cards are left, the Amazon account's among them",
            trigger: `.o_kanban_renderer:not(:has(.o_marketplace_dash_channel:contains('eBay'))) ${AMAZON_CARD}`,
            run() {
                const cards = [...document.querySelectorAll(".o_kanban_record:not(.o_kanban_ghost)")];
                const channels = cards.map((card) =>
                    card.querySelector(".o_marketplace_dash_channel").textContent.trim()
                );
                const names = cards.map((card) =>
                    card.querySelector(".o_marketplace_dash_account").textContent.trim()
                );
                assertEqual([...new Set(channels)], ["Amazon"], "channels of the cards");
                if (!names.includes(expected().amazon.name) || names.includes("Dash seller")) {
                    throw new Error(`the Amazon filter shows ${JSON.stringify(names)}`);
                }
            },
        },
        {
            content: "Remove the filter",
            trigger: ".o_searchview_facet:contains('Amazon') .o_facet_remove",
            run: "click",
        },
        {
            content: "Both cards are back",
            trigger: `.o_kanban_renderer:has(${AMAZON_CARD}) ${CARD}`,
        },
        {
            content: "What needs attention stands out above the figures: the failed listing",
            trigger: `${CARD} .o_marketplace_dash_attention li:contains(${JSON.stringify(expected().attention)})`,
        },
        ...["calls", "throttled", "orders", "order_delay"].map((graph) => ({
            content: `The ${graph} graph has a bar per day for two weeks, today's the records' own`,
            trigger: `${CARD} .o_marketplace_dash_graph_${graph} canvas`,
            async run() {
                const chart = await chartOf(this.anchor);
                const bars = chart.data.datasets[0].data;
                assertEqual(chart.data.labels.length, 14, `days of the ${graph} graph`);
                assertEqual(bars.slice(0, 13), Array(13).fill(0), `${graph} before today`);
                assertEqual(bars[13], expected().graphs[graph], `${graph} today`);
            },
        })),
        {
            content: "Five calls were throttled today",
            trigger: `${CARD} .o_marketplace_dash_throttled .o_marketplace_dash_value:contains(/^\\s*5\\s*$/)`,
        },
        {
            content: "One listing failed",
            trigger: `${CARD} .o_marketplace_dash_problem .o_marketplace_dash_value:contains(/^\\s*1\\s*$/)`,
        },
        {
            content: "The listing that gave up waits in the dead-letter inbox",
            trigger: `${CARD} .o_marketplace_dash_dead_letters .o_marketplace_dash_value:contains(/^\\s*1\\s*$/)`,
        },
        {
            content: "One listing is live",

            trigger: `${CARD} .o_marketplace_dash_live .o_marketplace_dash_value:contains(/^\\s*1\\s*$/)`,
        },
        {
            content: "One order was imported today",
            trigger: `${CARD} .o_marketplace_dash_orders .o_marketplace_dash_value:contains(/^\\s*1\\s*$/)`,
        },
        {
            content: "The 500 counts as a failed call, and only the failed calls count",
            trigger: `${CARD} .o_marketplace_dash_failed_calls .o_marketplace_dash_value:contains(/^\\s*${expected().failed_calls}\\s*$/)`,
        },
        {
            content: "Open the throttled calls",
            trigger: `${CARD} .o_marketplace_dash_throttled`,
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
            trigger: ".o_list_view .o_data_row td[name='res_id']:contains('DASH-FAIL')",
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb .o_back_button",
            run: "click",
        },
        {
            content: "Open the failed listings",
            trigger: `${CARD} .o_marketplace_dash_problem`,
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
            trigger: `${CARD} .o_marketplace_dash_calls`,
            run: "click",
        },
        {
            content: "They open as a graph per day and outcome, with the records' counts",
            trigger: ".o_graph_view .o_graph_renderer canvas",
            async run() {
                const chart = await chartOf(this.anchor);
                assertEqual(chart.data.labels.length, 1, "days (all calls were today)");
                const counts = Object.fromEntries(
                    chart.data.datasets.map((set) => [set.label, set.data[0]])
                );
                assertEqual(counts, expected().calls_by_state, "calls per outcome");
            },
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
            trigger: `${CARD} .o_marketplace_dash_order_delay`,
            run: "click",
        },
        {
            content: "The delay opens as a graph per import day: today's average delay",
            trigger: ".o_graph_view .o_graph_renderer canvas",
            async run() {
                const chart = await chartOf(this.anchor);
                assertEqual(chart.data.labels.length, 1, "import days");
                assertEqual(chart.data.datasets.length, 1, "measures");
                const [delay] = chart.data.datasets;
                assertEqual(delay.label, expected().delay_label, "measure");
                const shown = Math.round(delay.data[0] * 10) / 10;
                assertEqual(shown, expected().delay_minutes, "minutes from sale to Odoo");
            },
        },
    ],
});
