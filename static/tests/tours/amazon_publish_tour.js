/** @odoo-module **/
// Publish a product to Amazon from its listing form: Odoo checks it against
// the product type's schema, Amazon's preview says it is valid, Publish
// queues it; the test runs the job against the emulator, then the second
// tour checks the listing shows the ASIN Amazon gave and its status.
import { registry } from "@web/core/registry";

// The ASIN Amazon gave: the test reads it from the emulator and passes it in
// a cookie, so the form must show exactly that one.
function asinFromAmazon() {
    const cookie = document.cookie
        .split("; ")
        .find((c) => c.startsWith("amazon_tour_asin="));
    return cookie ? decodeURIComponent(cookie.split("=")[1]) : "(no cookie)";
}

registry.category("web_tour.tours").add("marketplace_connector_amazon_publish_tour", {
    steps: () => [
        {
            content: "Open the product's Amazon listing",
            trigger: ".o_list_view .o_data_row td[name='sku']:contains('TOUR-AMZ')",
            run: "click",
        },
        {
            content: "Ask Amazon for a preview",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_preview']",
            run: "click",
        },
        {
            content: "Amazon would accept it",
            trigger: ".o_notification:contains('Amazon would accept this listing')",
        },
        {
            content: "Publish it",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_publish']:contains('Publish')",
            run: "click",
        },
        {
            content: "It is queued for Amazon",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Queued')",
        },
    ],
});

registry.category("web_tour.tours").add("marketplace_connector_amazon_published_tour", {
    steps: () => [
        {
            content: "The listing is published",
            trigger: ".o_list_view .o_data_row:has(td[name='sku']:contains('TOUR-AMZ')) td[name='state']:contains('Published')",
        },
        {
            content: "Open it",
            trigger: ".o_list_view .o_data_row td[name='sku']:contains('TOUR-AMZ')",
            run: "click",
        },
        {
            content: "It shows the ASIN Amazon gave it",
            trigger: `.o_form_view div[name='asin'] span:contains(/^\\s*${asinFromAmazon()}\\s*$/)`,
        },
        {
            content: "Amazon says it is for sale",
            trigger: ".o_form_view div[name='amazon_status'] span:contains('BUYABLE')",
        },
    ],
});
