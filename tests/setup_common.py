"""What the account set-up tests of both channels share: the notification a
set-up button ends with."""


class SetupWordsMixin:
    def _assert_notified(self, answer, *words, kind="success"):
        """``answer`` is a notification of ``kind`` whose message has ``words``
        and that reloads the form behind it (so the buttons that no longer
        apply are hidden); its message is returned."""
        self.assertEqual(answer["type"], "ir.actions.client")
        self.assertEqual(answer["tag"], "display_notification")
        params = answer["params"]
        self.assertEqual(params["type"], kind)
        self.assertTrue(params["title"])
        for word in words:
            self.assertIn(word, params["message"])
        self.assertEqual(params["next"], {"type": "ir.actions.act_window_close"})
        return params["message"]
