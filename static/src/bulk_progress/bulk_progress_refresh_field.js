/** @odoo-module **/
// Reloads a bulk progress record every few seconds while listings are still
// queued, so the counts and the bar follow the jobs without the person
// reloading; it stops once nothing is queued or the form is left.
import { Component, onMounted, onWillUnmount } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

export const REFRESH_DELAY_MS = 3000;

export class BulkProgressRefreshField extends Component {
    static template = "marketplace_connector.BulkProgressRefreshField";
    static props = { ...standardFieldProps };

    setup() {
        this.timer = null;
        this.mounted = false;
        onMounted(() => {
            this.mounted = true;
            this.schedule();
        });
        onWillUnmount(() => {
            this.mounted = false;
            clearTimeout(this.timer);
        });
    }

    get done() {
        return Boolean(this.props.record.data[this.props.name]);
    }

    schedule() {
        clearTimeout(this.timer);
        if (!this.mounted || this.done) {
            return;
        }
        this.timer = setTimeout(async () => {
            await this.props.record.load();
            this.schedule();
        }, REFRESH_DELAY_MS);
    }
}

export const bulkProgressRefreshField = {
    component: BulkProgressRefreshField,
    supportedTypes: ["boolean"],
};

registry.category("fields").add("marketplace_bulk_progress_refresh", bulkProgressRefreshField);
