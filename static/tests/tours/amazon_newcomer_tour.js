/** @odoo-module **/
// The newcomer's first hour with Amazon, on the demo database: connect the
// demo seller through Seller Central's consent page, publish a demo
// product, find the buyer's order and its sale order, ship it with a
// tracking number, and read the dashboard.  What happens on Amazon's side
// between two steps (the job runner's work, Amazon applying the listing, a
// buyer's purchase) is done by the test (tests/test_amazon_newcomer_tour.py)
// between these tours.
import { registry } from "@web/core/registry";
import {
    accountName,
    dashboardCard,
    exactly,
    expectedFrom,
    openMenu,
    orderToDeliverySteps,
    shippedSteps,
    step,
    stepIs,
} from "@marketplace_connector/../tests/tours/newcomer_tour_steps";

const ACCOUNT = "Amazon demo seller (emulator)";
const PRODUCT = "Nimbus Wireless Headphones";
const SKU = "NIMBUS-HP1";
const ACCOUNT_NAME = accountName(ACCOUNT);
const CARD = dashboardCard(ACCOUNT);
const expected = expectedFrom("amazon_newcomer_expected");

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
        ...orderToDeliverySteps("Amazon", expected, PRODUCT),
    ],
});

registry.category("web_tour.tours").add("marketplace_connector_amazon_newcomer_shipped_tour", {
    steps: () => shippedSteps("Amazon", ACCOUNT),
});
