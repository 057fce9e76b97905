/** @odoo-module **/
// Connect an Amazon account end to end: account form -> Connect wizard ->
// Seller Central's consent page (the emulator's; the test confirms there) ->
// back on the account, connected, with the selling partner and its
// marketplaces shown.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("marketplace_connector_amazon_connect_tour", {
    url: "/odoo/action-marketplace_connector.amazon_account_action",
    steps: () => [
        {
            content: "Open the account to connect",
            trigger: ".o_list_view .o_data_row td[name='name']:contains('Amazon tour seller')",
            run: "click",
        },
        {
            content: "Start the Connect wizard",
            trigger: ".o_form_view button.o_amazon_connect_button:contains('Connect Amazon')",
            run: "click",
        },
        {
            content: "Enter the LWA client ID",
            trigger: ".modal div[name='client_id'] input",
            run: "edit amzn1.application-oa2-client.tour",
        },
        {
            content: "Enter the LWA client secret",
            trigger: ".modal div[name='client_secret'] input",
            run: "edit amazon-tour-secret-for-this-run",
        },
        {
            content: "Enter the application ID",
            trigger: ".modal div[name='application_id'] input",
            run: "edit amzn1.sp.solution.tour",
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
        {
            content: "Its marketplaces are listed",
            trigger: ".o_form_view .o_notebook a:contains('Amazon marketplaces')",
            run: "click",
        },
        {
            content: "Amazon.com is one of them",
            trigger: ".o_form_view .o_amazon_participations .o_data_row:contains('ATVPDKIKX0DER')",
        },
    ],
});
