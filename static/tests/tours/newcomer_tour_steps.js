/** @odoo-module **/
// What the newcomer tours of both channels (ebay_newcomer_tour.js,
// amazon_newcomer_tour.js) share: the selectors of the checklist and the
// dashboard, and the journey from the buyer's order to the dashboard (the
// order, its sale order, its delivery shipped with tracking), in the words
// of the channel it walks.

export function exactly(text) {
    return `/^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*$/`;
}

// What the records say, read by the test and passed in the cookie
// ``cookieName``: the screens must show exactly these.
export function expectedFrom(cookieName) {
    return () => {
        const cookie = document.cookie
            .split("; ")
            .find((c) => c.startsWith(`${cookieName}=`));
        if (!cookie) {
            throw new Error("the test passes what the screens must show in a cookie");
        }
        return JSON.parse(decodeURIComponent(cookie.split("=")[1]));
    };
}

// The account's card on the dashboard, by the account's name exactly ("Demo
// seller" is in "Amazon demo seller" too).
export function accountName(name) {
    return `:contains(${exactly(name)})`;
}

export function dashboardCard(name) {
    return `.o_kanban_record:has(.o_marketplace_dash_account${accountName(name)})`;
}

// A step of the account's set-up checklist, by its name in the form.
export function step(name) {
    return `.o_form_view .o_marketplace_setup_checklist div[name='${name}']`;
}

export function stepIs(name, state, content) {
    return {
        content,
        trigger: `${step(name)} .o_marketplace_setup_state:contains(/^\\s*${state}\\s*$/)`,
    };
}

export function openMenu(xmlid, content) {
    return [
        {
            content: "Open the Marketplaces menu",
            trigger: ".o_main_navbar button[data-menu-xmlid='marketplace_connector.marketplace_menu_root']",
            run: "click",
        },
        {
            content,
            trigger: `.dropdown-item[data-menu-xmlid='marketplace_connector.${xmlid}']`,
            run: "click",
        },
    ];
}

export const DONE =
    ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Done')";

/**
 * From the Orders menu to the delivery shipped with its tracking number
 * (tests/tour_common.py NewcomerTourMixin._ship_and_read_dashboard passes
 * order_id, sale_order, carrier and tracking).
 *
 * @param {string} channel the marketplace's name ("eBay")
 * @param {Function} expected what the screens must show (expectedFrom)
 * @param {string} product the product the buyer bought
 * @param {Array} orderSteps what the channel's order form shows besides
 */
export function orderToDeliverySteps(channel, expected, product, orderSteps = []) {
    return [
        ...openMenu("marketplace_order_menu", "Open Marketplaces > Orders"),
        {
            content: "The buyer's order is imported",
            trigger: `.o_list_view .o_data_row:has(td[name='remote_order_id']:contains('${expected().order_id}')) td[name='state']:contains('Imported')`,
        },
        {
            content: "Open it",
            trigger: `.o_list_view .o_data_row td[name='remote_order_id']:contains('${expected().order_id}')`,
            run: "click",
        },
        ...orderSteps,
        {
            content: "Open its sale order",
            trigger: `.o_form_view div[name='sale_order_id'] a:contains('${expected().sale_order}')`,
            run: "click",
        },
        {
            content: `The sale order has the ${product}`,
            trigger: `.o_form_view .o_field_one2many[name='order_line'] .o_data_row:contains('${product}')`,
        },
        {
            content: "It is confirmed",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Sales Order')",
        },
        {
            content: "Open its delivery",
            trigger: ".o_form_view button[name='action_view_delivery']",
            run: "click",
        },
        {
            content: "The delivery is ready",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Ready')",
        },
        {
            content: "Open its shipping information",
            trigger: ".o_form_view .o_notebook a[name='extra']",
            run: "click",
        },
        {
            content: "Choose the demo's delivery method",
            trigger: ".o_form_view div[name='carrier_id'] input",
            run: `edit ${expected().carrier}`,
        },
        {
            content: `the one mapped to ${channel}'s carrier`,
            trigger: `.o-autocomplete--dropdown-menu .ui-menu-item a:contains('${expected().carrier}')`,
            run: "click",
        },
        {
            content: "Type the tracking number",
            trigger: ".o_form_view div[name='carrier_tracking_ref'] input",
            run: `edit ${expected().tracking}`,
        },
        {
            content: "Validate the delivery",
            trigger: ".o_form_view .o_statusbar_buttons button[name='button_validate']",
            run: "click",
        },
        {
            content: "It is done",
            trigger: DONE,
        },
        {
            content: `The tracking waits to go to ${channel}`,
            trigger: ".o_form_view div[name='marketplace_tracking_state']:contains('Queued')",
        },
    ];
}

/**
 * On the shipped delivery: its tracking reached the marketplace; then the
 * account's card on the dashboard.
 *
 * @param {string} channel the marketplace's name ("eBay")
 * @param {string} account the demo account's name
 */
export function shippedSteps(channel, account) {
    const card = dashboardCard(account);
    return [
        {
            content: `The tracking reached ${channel}`,
            trigger: ".o_form_view div[name='marketplace_tracking_state']:contains('Sent')",
        },
        {
            content: "Go to Marketplaces > Dashboard (the delivery is in the Inventory app)",
            trigger: ".o_main_navbar",
            run: () => {
                window.location.href = "/odoo/action-marketplace_connector.marketplace_dashboard_action";
            },
        },
        {
            content: `The ${account} has one live listing`,
            trigger: `${card} .o_marketplace_dash_live .o_marketplace_dash_value:contains(/^\\s*1\\s*$/)`,
        },
        {
            content: "and one order imported today",
            trigger: `${card} .o_marketplace_dash_orders .o_marketplace_dash_value:contains(/^\\s*1\\s*$/)`,
        },
        {
            content: "and nothing failed",
            trigger: `${card} .o_marketplace_dash_problem .o_marketplace_dash_value:contains(/^\\s*0\\s*$/)`,
        },
        {
            content: "Its orders per day are drawn",
            trigger: `${card} .o_marketplace_dash_graph_orders canvas`,
        },
    ];
}
