"""Control endpoints of Feeds, documents and Reports (beside E1's
``control.py``); ``AmazonEmulatorClient`` in emulator/client.py calls them.

==============================================  ======================================
``GET /_emulator/amazon/feeds?seller_id=``      ``{"feeds": [getFeed's view, seller]}``
``GET /_emulator/amazon/feeds/{feedId}``        the feed, its decoded ``messages`` and
                                                its processing ``report``
``POST /_emulator/amazon/feeds/process``        every feed processed now
``GET /_emulator/amazon/documents``             ``{"documents": [..]}`` (no bytes)
``POST /_emulator/amazon/reports/process``      every report done now
==============================================  ======================================

Each look moves feeds and reports along the emulator clock first, as an API
call would.
"""

from . import documents, feeds_api, reports_api
from .routes import route


def _advance(state, now_all=False):
    feeds_api.advance(state, now_all)
    reports_api.advance(state, now_all)


def _control_view(feed):
    return dict(
        feeds_api.feed_view(feed),
        seller_id=feed["seller_id"],
        inputFeedDocumentId=feed["inputFeedDocumentId"],
    )


@route("GET", "/_emulator/amazon/feeds", auth=None)
def list_feeds(req):
    _advance(req.state)
    seller_id = req.query.get("seller_id")
    with req.state.lock:
        found = [
            _control_view(feed)
            for feed in sorted(
                feeds_api.feeds(req.state).values(), key=lambda f: f["created"]
            )
            if not seller_id or feed["seller_id"] == seller_id
        ]
    return 200, {"count": len(found), "feeds": found}, {}


@route("GET", "/_emulator/amazon/feeds/{feedId}", auth=None)
def get_feed(req):
    _advance(req.state)
    with req.state.lock:
        feed = feeds_api.feeds(req.state).get(req.params["feedId"])
        if feed is None:
            return 404, {"error": f"no feed {req.params['feedId']}"}, {}
        view = _control_view(feed)
        view["messages"] = feed.get("messages")
        view["report"] = feed.get("report")
    return 200, view, {}


@route("POST", "/_emulator/amazon/feeds/process", auth=None)
def process_feeds(req):
    feeds_api.advance(req.state, now_all=True)
    return 200, {"ok": True}, {}


@route("POST", "/_emulator/amazon/reports/process", auth=None)
def process_reports(req):
    reports_api.advance(req.state, now_all=True)
    return 200, {"ok": True}, {}


@route("GET", "/_emulator/amazon/documents", auth=None)
def list_documents(req):
    _advance(req.state)
    with req.state.lock:
        found = [
            documents.public(doc) for doc in documents.documents(req.state).values()
        ]
    return 200, {"count": len(found), "documents": found}, {}
