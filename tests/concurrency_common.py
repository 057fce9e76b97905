"""Two stored jobs run at the same moment, each as queue_job's runner runs
a job, in a thread of its own with a database connection of its own, as
two job workers do (the order concurrency tests of every channel).

Such tests run outside Odoo's test transaction (``unittest.TestCase``):
``_env()`` opens a committed transaction; the test removes what it
committed.
"""

import threading
from contextlib import contextmanager

from odoo import SUPERUSER_ID, api

from odoo.addons.queue_job.controllers.main import RunJobController

# More runs than this and the jobs are not converging: a failure.
MAX_RUNS = 4


class ConcurrentJobsMixin:
    """``self.registry`` is the test database's registry (set in setUp)."""

    @contextmanager
    def _env(self):
        """A committed transaction of its own, as ``self.env``."""
        with self.registry.cursor() as cr:
            self.env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            try:
                yield self.env
            finally:
                del self.env

    def _job_state(self, job_uuid):
        with self.registry.cursor() as cr:
            cr.execute("SELECT state FROM queue_job WHERE uuid = %s", (job_uuid,))
            return cr.fetchone()[0]

    def _work(self, job_uuid, barrier, outcome):
        """queue_job's runner and a worker: run the job until it is done.

        A job that is postponed (a RetryableJobError, or a serialisation
        failure queue_job turns into one) goes back to pending; the runner
        runs it again (here without waiting for its eta).  Anything else
        fails the job and is reported to the main thread.
        """
        try:
            barrier.wait(timeout=30)
            while outcome["runs"] < MAX_RUNS:
                outcome["runs"] += 1
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    cr.execute(
                        "UPDATE queue_job SET state = 'enqueued' WHERE uuid = %s",
                        (job_uuid,),
                    )
                    cr.commit()
                    job = RunJobController._acquire_job(env, job_uuid)
                    if job is None:
                        raise AssertionError(f"job {job_uuid} could not be acquired")
                    RunJobController._runjob(env, job)
                outcome["state"] = self._job_state(job_uuid)
                if outcome["state"] != "pending":
                    return
        except BaseException as exc:  # reported in the main thread
            outcome["error"] = exc

    def _run_together(self, names):
        """Run the jobs ``{uuid: name}`` at once until each is done; check
        they all ended done and met (one was sent back once, its second run
        took the work as the other left it)."""
        barrier = threading.Barrier(len(names))
        outcomes = {job_uuid: {"runs": 0} for job_uuid in names}
        threads = [
            threading.Thread(target=self._work, args=(job_uuid, barrier, outcome))
            for job_uuid, outcome in outcomes.items()
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertFalse(
            [thread for thread in threads if thread.is_alive()], "a worker hangs"
        )
        for job_uuid, outcome in outcomes.items():
            name = names[job_uuid]
            self.assertNotIn("error", outcome, f"{name} failed")
            self.assertEqual(outcome["state"], "done", f"{name} is not done")
        self.assertEqual(
            sorted(outcome["runs"] for outcome in outcomes.values()),
            [1, 2],
            {names[u]: o["runs"] for u, o in outcomes.items()},
        )
        return outcomes

    def _one_sale_order(self, env, account_id, remote_order_id):
        """The account's one staged order, imported, and its one sale order."""
        orders = env["marketplace.order"].search([("account_id", "=", account_id)])
        self.assertEqual(len(orders), 1)
        self.assertEqual(orders.state, "imported")
        sales = env["sale.order"].search([("client_order_ref", "=", remote_order_id)])
        self.assertEqual(len(sales), 1)
        self.assertEqual(sales, orders.sale_order_id)
        return orders, sales
