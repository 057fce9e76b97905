/** @odoo-module **/
// The newcomer's first hour with Amazon, on the demo database: connect the
// demo seller through Seller Central's consent page, publish a demo
// product, find the buyer's order and its sale order, ship it with a
// tracking number, and read the dashboard.  What happens on Amazon's side
// between two steps (the job runner's work, Amazon applying the listing, a
// buyer's purchase) is done by the test (tests/test_amazon_newcomer_tour.py)
// between these tours.
import { registry } from "@web/core/registry";

const ACCOUNT = "Amazon demo seller (emulator)";
const PRODUCT = "Nimbus Wireless Headphones";
const SKU = "NIMBUS-HP1";
// The account's name exactly: "Demo seller" is in "Amazon demo seller" too.
const ACCOUNT_NAME = `:contains(${exactly(ACCOUNT)})`;
const CARD = `.o_kanban_record:has(.o_marketplace_dash_account${ACCOUNT_NAME})`;

// What the records say, read by the test and passed in a cookie: the screens
// must show exactly these.
const DONE = ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Done')";

function expected() {
    const cookie = document.cookie
        .split("; ")
        .find((c) => c.startsWith("amazon_newcomer_expected="));
    if (!cookie) {
        throw new Error("the test passes what the screens must show in a cookie");
    }
    return JSON.parse(decodeURIComponent(cookie.split("=")[1]));
}

function exactly(text) {
    return `/^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*$/`;
}

// A step of the account's set-up checklist, by its name in the form.
function step(name) {
    return `.o_form_view .o_marketplace_setup_checklist div[name='${name}']`;
}

function stepIs(name, state, content) {
    return {
        content,
        trigger: `${step(name)} .o_marketplace_setup_state:contains(/^\\s*${state}\\s*$/)`,
    };
}

function openMenu(xmlid, content) {
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

registry.category("web_tour.tours").add("marketplace_connector_amazon_newcomer_connect_tour", {
    steps: () => [
        {
            content: "The dashboard shows the Amazon demo seller's card",
            trigger: `${CARD} .o_marketplace_dash_channel:contains(/^\\s*Amazon\\s*$/)`,
            // The first screen of the day: the web client loads its graphs.
            timeout: 30000,
        },
        ...openMenu("amazon_account_menu", "Open Marketplaces > Amazon > Accounts"),
        {
            content: "Open the Amazon demo seller",
            trigger: `.o_list_view .o_data_row td[name='name']${ACCOUNT_NAME}`,
            run: "click",
        },
        stepIs("setup_step_connect", "To do", "The checklist starts with connecting"),
        {
            content: "Connect Amazon from the checklist",
            trigger: `${step("setup_step_connect")} button.o_amazon_setup_connect:contains('Connect Amazon')`,
            run: "click",
        },
        {
            content: "The demo app's keys are filled in already",
            trigger: ".modal div[name='client_id'] input:value(amzn1.application-oa2-client.marketplace-demo)",
        },
        {
            content: "Go to Seller Central to authorise the app",
            trigger: ".modal button[name='action_connect']",
            run: "click",
        },
        {
            content: "Back from Seller Central: the account is connected",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Connected')",
            timeout: 30000,
        },
        {
            content: "The selling partner is shown",
            trigger: ".o_form_view .o_amazon_selling_partner_id:contains('A1EMULATORSELLER')",
        },
        stepIs("setup_step_connect", "Done", "The checklist's first step is done"),
        stepIs("setup_step_amazon_marketplaces", "Done", "The marketplaces were read at once"),
        stepIs("setup_step_listing", "To do", "A first listing is left to do"),
        {
            content: "Choose products to publish",
            trigger: `${step("setup_step_listing")} button.o_marketplace_setup_open_products`,
            run: "click",
        },
        {
            content: "Find the demo headphones",
            trigger: `.o_kanban_record:contains('${PRODUCT}')`,
            run: "click",
        },
        {
            content: "The product's form is open",
            trigger: `.o_breadcrumb .active:contains('${PRODUCT}')`,
        },
        {
            content: "Open its Amazon tab",
            trigger: ".o_form_view .o_notebook .nav-link[name='amazon']",
            run: "click",
        },
        {
            content: "The demo chose Amazon's HEADPHONES product type",
            trigger: ".o_form_view div[name='amazon_product_type_id']:contains('HEADPHONES')",
        },
        {
            content: "Open the product's actions",
            trigger: ".o_cp_action_menus i.fa-cog",
            run: "click",
        },
        {
            content: "Publish it to Amazon",
            trigger: ".o-dropdown--menu .o_menu_item:contains('Publish to Amazon')",
            run: "click",
        },
        {
            content: "The wizard publishes on Amazon.com",
            trigger: ".modal div[name='participation_id'] input:value(Amazon.com)",
        },
        {
            content: "The product is ready",
            trigger: ".modal div[name='ready_count']:contains(/^\\s*1\\s*$/)",
        },
        {
            content: "Publish",
            trigger: ".modal button[name='action_apply']",
            run: "click",
        },
        {
            content: "Odoo says it is queued for Amazon",
            trigger: ".o_notification:contains('1 listing(s) queued for Amazon')",
        },
    ],
});

registry.category("web_tour.tours").add("marketplace_connector_amazon_newcomer_order_tour", {
    steps: () => [
        {
            content: "The listing is live",
            trigger: `.o_list_view .o_data_row:has(td[name='sku']:contains('${SKU}')) td[name='state']:contains('Published')`,
        },
        {
            content: "Open it",
            trigger: `.o_list_view .o_data_row td[name='sku']:contains('${SKU}')`,
            run: "click",
        },
        {
            content: "It shows the ASIN Amazon gave it",
            trigger: `.o_form_view div[name='asin'] span:contains(${exactly(expected().asin)})`,
        },
        {
            content: "Amazon says it is for sale",
            trigger: ".o_form_view div[name='amazon_status'] span:contains('BUYABLE')",
        },
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
        {
            content: "Open its sale order",
            trigger: `.o_form_view div[name='sale_order_id'] a:contains('${expected().sale_order}')`,
            run: "click",
        },
        {
            content: "The sale order has the headphones",
            trigger: `.o_form_view .o_field_one2many[name='order_line'] .o_data_row:contains('${PRODUCT}')`,
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
            content: "Choose the delivery method",
            trigger: ".o_form_view div[name='carrier_id'] input",
            run: `edit ${expected().carrier}`,
        },
        {
            content: "the one mapped to Amazon's carrier",
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
            content: "The tracking waits to go to Amazon",
            trigger: ".o_form_view div[name='marketplace_tracking_state']:contains('Queued')",
        },
    ],
});

registry.category("web_tour.tours").add("marketplace_connector_amazon_newcomer_shipped_tour", {
    steps: () => [
        {
            content: "The tracking reached Amazon",
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
            content: "The Amazon demo seller has one live listing",
            trigger: `${CARD} .o_marketplace_dash_live .o_marketplace_dash_value:contains(/^\\s*1\\s*$/)`,
        },
        {
            content: "and one order imported today",
            trigger: `${CARD} .o_marketplace_dash_orders .o_marketplace_dash_value:contains(/^\\s*1\\s*$/)`,
        },
        {
            content: "and nothing failed",
            trigger: `${CARD} .o_marketplace_dash_problem .o_marketplace_dash_value:contains(/^\\s*0\\s*$/)`,
        },
    ],
});
