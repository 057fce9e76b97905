/** @odoo-module **/
// Connect an eBay account end to end: account form -> Connect wizard ->
// eBay's consent page (the emulator's; the test agrees there) -> back on the
// account, connected, with the eBay username shown.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("marketplace_connector_connect_tour", {
    url: "/odoo/action-marketplace_connector.marketplace_account_action",
    steps: () => [
        {
            content: "Open the account to connect",
            trigger: ".o_list_view .o_data_row td[name='name']:contains('Tour seller')",
            run: "click",
        },
        {
            content: "Start the Connect wizard",
            trigger: ".o_form_view button.o_ebay_connect_button:contains('Connect eBay')",
            run: "click",
        },
        {
            content: "Enter the app's client ID",
            trigger: ".modal div[name='client_id'] input",
            run: "edit tour-app",
        },
        {
            content: "Enter the client secret",
            trigger: ".modal div[name='client_secret'] input",
            run: "edit tour-app-secret-for-this-run",
        },
        {
            content: "Enter the RuName",
            trigger: ".modal div[name='ru_name'] input",
            run: "edit tour-runame",
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
    ],
});

// An account whose consent eBay revoked: the form offers "Reconnect eBay"
// (not "Connect eBay"); the stored app credentials are kept, so Connect goes
// straight to eBay's consent page, and the account comes back connected.
registry.category("web_tour.tours").add("marketplace_connector_reconnect_tour", {
    url: "/odoo/action-marketplace_connector.marketplace_account_action",
    steps: () => [
        {
            content: "Open the account that needs re-authorisation",
            trigger: ".o_list_view .o_data_row td[name='name']:contains('Revoked seller')",
            run: "click",
        },
        {
            content: "It says so",
            trigger: ".o_form_view .ribbon:contains('Needs re-authorisation')",
        },
        {
            content: "Connect eBay is not offered",
            trigger: ".o_form_view .o_form_statusbar:not(:has(.o_ebay_connect_button))",
        },
        {
            content: "Reconnect eBay is",
            trigger: ".o_form_view button.o_ebay_reconnect_button.btn-primary:contains('Reconnect eBay')",
            run: "click",
        },
        {
            content: "The wizard is the reconnection",
            trigger: ".modal .modal-title:contains('Reconnect eBay')",
        },
        {
            content: "The stored secret is kept: go to eBay",
            trigger: ".modal button[name='action_connect']",
            run: "click",
        },
        {
            content: "Back from eBay: the account is connected",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Connected')",
            timeout: 30000,
        },
        {
            content: "No ribbon any more",
            trigger: ".o_form_view:not(:has(.ribbon))",
        },
    ],
});
