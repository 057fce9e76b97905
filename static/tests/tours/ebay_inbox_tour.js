/** @odoo-module **/
// The dead-letter inbox: two listings gave up after eBay throttled them and
// one was refused. Staff requeue the first two at once and ignore the third.
import { registry } from "@web/core/registry";

const row = (name) => `.o_list_view .o_data_row:has(td[name='name']:contains('${name}'))`;

registry.category("web_tour.tours").add("marketplace_connector_inbox_tour", {
    steps: () => [
        {
            content: "The throttled listing is in the inbox with eBay's error",
            trigger: `${row("TSHIRT-1")} td[name='error']:contains('Gave up after 5 tries')`,
        },
        {
            content: "The refused listing says what to fix",
            trigger: `${row("LAMP-1")} td[name='error']:contains('fulfillment')`,
        },
        {
            content: "Select the first throttled listing",
            trigger: `${row("TSHIRT-1")} .o_list_record_selector input`,
            run: "click",
        },
        {
            content: "Select the second throttled listing",
            trigger: `${row("MUG-1")} .o_list_record_selector input`,
            run: "click",
        },
        {
            content: "Requeue both",
            trigger: ".o_control_panel button[name='action_requeue']",
            run: "click",
        },
        {
            content: "They leave the open letters",
            trigger: `.o_list_view:not(:has(${row("MUG-1")})):not(:has(${row("TSHIRT-1")}))`,
        },
        {
            content: "The reloaded list has no selection left",
            trigger: ".o_control_panel:not(:has(button[name='action_requeue']))",
        },
        {
            content: "Select the refused listing",
            trigger: `${row("LAMP-1")} .o_list_record_selector input`,
            run: "click",
        },
        {
            content: "It is selected",
            trigger: `${row("LAMP-1")} .o_list_record_selector input:checked`,
        },
        {
            content: "Ignore it",

            trigger: ".o_control_panel button[name='action_ignore']",
            run: "click",
        },
        {
            content: "Nothing is left open",
            trigger: ".o_view_nocontent:contains('Nothing gave up')",
        },
    ],
});
