/** @odoo-module **/
// Publish a simple product and a product with variants from their eBay
// listing forms; the test runs the queued jobs against the emulator, then
// the second tour checks both are live.
import { registry } from "@web/core/registry";

// The listing id eBay gave the simple listing: the test reads it from eBay
// and passes it in a cookie, so the form must show exactly that id.
function listingIdFromEbay() {
    const cookie = document.cookie
        .split("; ")
        .find((c) => c.startsWith("ebay_tour_listing_id="));
    return cookie ? decodeURIComponent(cookie.split("=")[1]) : "(no cookie)";
}

registry.category("web_tour.tours").add("marketplace_connector_publish_tour", {
    steps: () => [
        {
            content: "Open the simple product's listing",
            trigger: ".o_list_view .o_data_row td[name='sku']:contains('TOUR-1')",
            run: "click",
        },
        {
            content: "Publish it",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_publish']:contains('Publish')",
            run: "click",
        },
        {
            content: "It is queued for eBay",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Queued')",
        },
        {
            content: "Go to the variation listings",
            trigger: ".o_main_navbar",
            run: () => {
                window.location.href = "/odoo/action-marketplace_connector.ebay_listing_group_action";
            },
        },
        {
            content: "Open the T-shirt with variants",
            trigger: ".o_list_view .o_data_row td[name='group_key']:contains('TOUR-TEE')",
            run: "click",
        },
        {
            content: "Publish all its variants",
            trigger: ".o_form_view button[name='action_publish']:contains('Publish variants')",
            run: "click",
        },
        {
            content: "The group is queued for eBay",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Queued')",
        },
    ],
});

registry.category("web_tour.tours").add("marketplace_connector_published_tour", {
    steps: () => [
        {
            content: "The simple listing is live",
            trigger: ".o_list_view .o_data_row:has(td[name='sku']:contains('TOUR-1')) td[name='state']:contains('Published')",
        },
        {
            content: "Open it",
            trigger: ".o_list_view .o_data_row td[name='sku']:contains('TOUR-1')",
            run: "click",
        },
        {
            content: "It shows the listing id eBay gave it",
            trigger: `.o_form_view div[name='ebay_listing_id'] span:contains(/^\\s*${listingIdFromEbay()}\\s*$/)`,
        },
        {
            content: "Go to the variation listings",
            trigger: ".o_main_navbar",
            run: () => {
                window.location.href = "/odoo/action-marketplace_connector.ebay_listing_group_action";
            },
        },
        {
            content: "The group is live",
            trigger: ".o_list_view .o_data_row:has(td[name='group_key']:contains('TOUR-TEE')) td[name='state']:contains('Published')",
        },
    ],
});
