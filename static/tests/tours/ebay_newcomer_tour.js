/** @odoo-module **/
// The newcomer's first hour with eBay, on the demo database: connect the
// demo seller through eBay's consent page, set the account up, publish a
// demo product, find the buyer's order and its sale order, ship it with a
// tracking number, and read the dashboard.  What happens on eBay's side
// between two steps (the job runner's work, a buyer's purchase) is done by
// the test (tests/test_ebay_newcomer_tour.py) between these tours.
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

const ACCOUNT = "Demo seller (emulator)";
const PRODUCT = "Nimbus Wireless Headphones";
const CATEGORY = "Consumer Electronics > Portable Audio & Headphones > Headphones (112529)";
const ACCOUNT_NAME = accountName(ACCOUNT);
const CARD = dashboardCard(ACCOUNT);
const expected = expectedFrom("ebay_newcomer_expected");

registry.category("web_tour.tours").add("marketplace_connector_ebay_newcomer_connect_tour", {
    steps: () => [
        {
            content: "The dashboard shows the demo seller's card",
            trigger: `${CARD} .o_marketplace_dash_channel:contains(/^\\s*eBay\\s*$/)`,
            // The first screen of the day: the web client loads its graphs.
            timeout: 30000,
        },
        ...openMenu("marketplace_account_menu", "Open Marketplaces > Accounts"),
        {
            content: "Open the demo seller",
            trigger: `.o_list_view .o_data_row td[name='name']${ACCOUNT_NAME}`,
            run: "click",
        },
        stepIs("setup_step_connect", "To do", "The checklist starts with connecting"),
        {
            content: "and says what comes next",
            trigger: ".o_form_view .o_marketplace_setup_checklist .card-header:contains('Next:')",
        },
        {
            content: "Connect eBay from the checklist",
            trigger: `${step("setup_step_connect")} button.o_ebay_setup_connect:contains('Connect eBay')`,
            run: "click",
        },
        {
            content: "The demo app's keys are filled in already",
            trigger: ".modal div[name='client_id'] input:value(marketplace-demo-app)",
        },
        {
            content: "Go to eBay to grant access",
            trigger: ".modal button[name='action_connect']",
            run: "click",
        },
        {
            content: "Back from eBay: the account is connected",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Connected')",
            timeout: 30000,
        },
        {
            content: "The eBay username is shown",
            trigger: ".o_form_view .o_ebay_username:contains('emulator_seller')",
        },
        stepIs("setup_step_connect", "Done", "The checklist's first step is done"),
        stepIs("setup_step_ebay_policies", "To do", "Business policies come next"),
        {
            content: "Opt in to business policies",
            trigger: `${step("setup_step_ebay_policies")} button.o_ebay_setup_opt_in`,
            run: "click",
        },
        {
            content: "eBay says so",
            trigger: ".o_notification:contains('now opted in to business policies')",
        },
        {
            content: "The opt-in button is gone; reading the policies is offered",
            trigger: `${step("setup_step_ebay_policies")}:not(:has(button.o_ebay_setup_opt_in)) button.o_ebay_setup_sync_policies`,
        },
    ],
});

registry.category("web_tour.tours").add("marketplace_connector_ebay_newcomer_publish_tour", {
    steps: () => [
        {
            content: "Read the seller's policies from eBay",
            trigger: `${step("setup_step_ebay_policies")} button.o_ebay_setup_sync_policies`,
            run: "click",
        },
        {
            content: "Odoo says how many it read",
            trigger: ".o_notification:contains('3 policies read from eBay.')",
        },
        stepIs("setup_step_ebay_policies", "Done", "The policies step is done"),
        {
            content: "and names the policies listings use",
            trigger: `${step("setup_step_ebay_policies")}:contains('Listings use')`,
        },
        stepIs("setup_step_ebay_location", "To do", "The inventory location comes next"),
        {
            content: "Create the location from the warehouse",
            trigger: `${step("setup_step_ebay_location")} button.o_ebay_setup_location`,
            run: "click",
        },
        {
            content: "Odoo says eBay knows the warehouse now",
            trigger: ".o_notification:contains('as the place items ship from')",
        },
        stepIs("setup_step_ebay_location", "Done", "The location step is done"),
        stepIs("setup_step_ebay_notifications", "To do", "Notifications come next"),
        {
            content: "Set up notifications",
            trigger: `${step("setup_step_ebay_notifications")} button.o_ebay_setup_notifications`,
            run: "click",
        },
        {
            content: "Odoo says it is asking eBay",
            trigger: ".o_notification:contains('Odoo is asking eBay to send it notifications.')",
        },
        {
            content: "and the step says so until eBay has checked this Odoo",
            trigger: `${step("setup_step_ebay_notifications")}:contains('Odoo is asking eBay')`,
        },
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
            content: "Open its eBay tab",
            trigger: ".o_form_view .o_notebook .nav-link[name='ebay']",
            run: "click",
        },
        {
            content: "Look for the category by what the product is",
            trigger: ".o_form_view div[name='ebay_category_id'] input",
            run: "edit headphones",
        },
        {
            content: "Pick eBay's Headphones category",
            trigger: `.o-autocomplete--dropdown-menu .ui-menu-item a:contains('${CATEGORY}')`,
            run: "click",
        },
        {
            content: "The product has that category now",
            trigger: `.o_form_view div[name='ebay_category_id'] input:value(${CATEGORY})`,
        },
        {
            content: "and the item specifics eBay requires there",
            trigger: ".o_form_view div[name='ebay_aspect_ids'] .o_data_row:contains('Brand'):contains('Nimbus')",
        },
        {
            content: "Open the product's actions",
            trigger: ".o_cp_action_menus i.fa-cog",
            run: "click",
        },
        {
            content: "Publish it to eBay",
            trigger: ".o-dropdown--menu .o_menu_item:contains('Publish to eBay')",
            run: "click",
        },
        {
            content: "The wizard checks the product: it is ready",
            trigger: ".modal div[name='ready_count']:contains(/^\\s*1\\s*$/)",
        },
        {
            content: "and nothing needs fixing",
            trigger: ".modal .o_ebay_preview:contains('All products are ready.')",
        },
        {
            content: "Publish",
            trigger: ".modal button[name='action_apply']",
            run: "click",
        },
        {
            content: "The progress shows one listing queued for eBay",
            trigger: ".o_marketplace_bulk_progress .o_marketplace_bulk_queued:contains(/^\\s*1\\s*Queued\\s*$/)",
        },
        {
            content: "none in error",
            trigger: ".o_marketplace_bulk_progress .o_marketplace_bulk_error:contains(/^\\s*0\\s*In error\\s*$/)",
        },
    ],
});

registry.category("web_tour.tours").add("marketplace_connector_ebay_newcomer_order_tour", {
    steps: () => [
        stepIs("setup_step_ebay_notifications", "Done", "eBay checked this Odoo: notifications are set up"),
        stepIs("setup_step_listing", "Done", "and the first listing is live"),
        {
            content: "The checklist is complete",
            trigger: ".o_form_view .o_marketplace_setup_checklist .card-header:contains('Set-up complete')",
        },
        ...openMenu("ebay_listing_menu", "Open Marketplaces > eBay > Listings"),
        {
            content: "The listing is live",
            trigger: `.o_list_view .o_data_row:has(td[name='sku']:contains('NIMBUS-HP1')) td[name='state']:contains('Published')`,
        },
        {
            content: "Open it",
            trigger: ".o_list_view .o_data_row td[name='sku']:contains('NIMBUS-HP1')",
            run: "click",
        },
        {
            content: "It shows the listing id eBay gave it",
            trigger: `.o_form_view div[name='ebay_listing_id'] span:contains(${exactly(expected().listing_id)})`,
        },
        ...orderToDeliverySteps("eBay", expected, PRODUCT, [
            {
                content: "It names the buyer",
                trigger: ".o_form_view div[name='buyer_username']:contains('demo_buyer')",
            },
        ]),
    ],
});

registry.category("web_tour.tours").add("marketplace_connector_ebay_newcomer_shipped_tour", {
    steps: () => shippedSteps("eBay", ACCOUNT),
});
