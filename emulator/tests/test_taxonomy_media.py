"""Taxonomy (application token) and Media (user token) over real HTTP."""

import hashlib
import re
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from marketplace_connector.ebay import EbayClient, EbayValidationError, Endpoints
from marketplace_connector.ebay.media import MediaApi
from marketplace_connector.ebay.taxonomy import TaxonomyApi

APP_SCOPE = "https://api.ebay.com/oauth/api_scope"
USER_SCOPES = f"{APP_SCOPE} {APP_SCOPE}/sell.inventory"
TAXONOMY = "/commerce/taxonomy/v1"
MEDIA = "/commerce/media/v1_beta"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64)) + b"\r\n--x"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200)


def app_token(url, session):
    answer = session.post(
        f"{url}/identity/v1/oauth2/token",
        data={"grant_type": "client_credentials", "scope": APP_SCOPE},
        auth=("app", "s3cret"),
        timeout=5,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


def user_token(url, session):
    query = urlencode(
        {
            "client_id": "app",
            "redirect_uri": "ru",
            "response_type": "code",
            "scope": USER_SCOPES,
        }
    )
    page = session.get(f"{url}/oauth2/authorize?{query}", timeout=5)
    ticket = re.search(r"name='ticket' value='([^']+)'", page.text).group(1)
    answer = session.post(
        f"{url}/oauth2/authorize/decide",
        data={"ticket": ticket, "decision": "accept"},
        allow_redirects=False,
        timeout=5,
    )
    code = parse_qs(urlparse(answer.headers["Location"]).query)["code"][0]
    tokens = session.post(
        f"{url}/identity/v1/oauth2/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": "ru"},
        auth=("app", "s3cret"),
        timeout=5,
    )
    assert tokens.status_code == 200, tokens.text
    return tokens.json()["access_token"]


def violations(url, session):
    return session.get(f"{url}/_emulator/violations", timeout=5).json()["violations"]


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def app(emu):
    url, session = emu
    token = app_token(url, session)

    def get(path, **params):
        return session.get(
            f"{url}{TAXONOMY}{path}", params=params, headers=bearer(token), timeout=5
        )

    return get


@pytest.fixture
def user(emu):
    url, session = emu
    return user_token(url, session)


def client_for(url, token):
    return EbayClient(
        Endpoints.for_environment("emulator", url),
        lambda force_refresh=False: token,
    )


def first_error(response):
    return response.json()["errors"][0]


# -- Taxonomy -------------------------------------------------------------------
def test_default_category_tree_id_per_marketplace(emu, app):
    url, session = emu
    expected = {"EBAY_US": "0", "EBAY_GB": "3", "EBAY_DE": "77", "EBAY_FR": "0"}
    for marketplace, tree in expected.items():
        answer = app("/get_default_category_tree_id", marketplace_id=marketplace)
        assert answer.status_code == 200
        assert answer.json()["categoryTreeId"] == tree
        assert answer.json()["categoryTreeVersion"]
    unknown = app("/get_default_category_tree_id", marketplace_id="EBAY_XX")
    assert unknown.status_code == 400 and first_error(unknown)["errorId"] == 62003
    assert violations(url, session) == []
    missing = app("/get_default_category_tree_id")
    assert missing.status_code == 400
    assert first_error(missing)["domain"] == "API_TAXONOMY"
    [violation] = violations(url, session)
    assert violation["operation"] == "getDefaultCategoryTreeId"
    session.delete(f"{url}/_emulator/violations", timeout=5).raise_for_status()


def test_category_tree_has_nodes_levels_and_leaves(emu, app):
    url, session = emu
    answer = app("/category_tree/0")
    assert answer.status_code == 200
    tree = answer.json()
    assert (
        tree["categoryTreeId"] == "0" and "EBAY_US" in tree["applicableMarketplaceIds"]
    )
    root = tree["rootCategoryNode"]
    assert root["category"] == {"categoryId": "0", "categoryName": "Root"}
    assert root["categoryTreeNodeLevel"] == 0 and "leafCategoryTreeNode" not in root
    nodes = {}

    def walk(node):
        nodes[node["category"]["categoryId"]] = node
        for child in node.get("childCategoryTreeNodes", []):
            walk(child)

    walk(root)
    phones = nodes["9355"]
    assert phones["leafCategoryTreeNode"] is True
    assert phones["categoryTreeNodeLevel"] == 2
    assert "childCategoryTreeNodes" not in phones
    assert phones["parentCategoryTreeNodeHref"].endswith(
        "/category_tree/0/get_category_subtree?category_id=15032"
    )
    assert nodes["15032"]["categoryTreeNodeLevel"] == 1
    assert "leafCategoryTreeNode" not in nodes["15032"]
    assert nodes["267"]["leafCategoryTreeNode"] is True
    assert set(nodes) == {
        *("0", "15032", "9355", "11450", "15687", "267", "99", "88433"),
        *("293", "15052", "112529", "220", "246", "261068"),
    }
    assert nodes["112529"]["categoryTreeNodeLevel"] == 3
    subtree = app("/category_tree/0/get_category_subtree", category_id="15032")
    assert subtree.status_code == 200
    node = subtree.json()["categorySubtreeNode"]
    assert [c["category"]["categoryId"] for c in node["childCategoryTreeNodes"]] == [
        "9355"
    ]
    bad_tree = app("/category_tree/42")
    assert bad_tree.status_code == 400 and first_error(bad_tree)["errorId"] == 62004
    assert violations(url, session) == []


def test_category_suggestions(emu, app):
    url, session = emu
    answer = app("/category_tree/0/get_category_suggestions", q="Blue PHONE case")
    assert answer.status_code == 200
    body = answer.json()
    assert body["categoryTreeId"] == "0"
    (suggestion,) = body["categorySuggestions"]
    assert suggestion["category"] == {
        "categoryId": "9355",
        "categoryName": "Cell Phones & Smartphones",
    }
    assert suggestion["categoryTreeNodeLevel"] == 2
    ancestors = suggestion["categoryTreeNodeAncestors"]
    assert [(a["categoryId"], a["categoryTreeNodeLevel"]) for a in ancestors] == [
        ("15032", 1)
    ]
    shirts = app("/category_tree/3/get_category_suggestions", q="cotton t-shirt")
    assert [s["category"]["categoryId"] for s in shirts.json()["categorySuggestions"]]
    assert shirts.json()["categorySuggestions"][0]["category"]["categoryId"] == "15687"
    # Only leaves are suggested: "accessories" names two non-leaf categories.
    none = app("/category_tree/0/get_category_suggestions", q="accessories")
    assert none.status_code == 204 and not none.content
    # The demo products' words find their categories, under eBay's own parents.
    for words, expected, parents in (
        ("Nimbus Wireless Headphones", "112529", ["15052", "293"]),
        ("headphones", "112529", ["15052", "293"]),
        ("Rocket Ranger Action Figure", "261068", ["246", "220"]),
        ("Harbor Organic T-Shirt", "15687", ["11450"]),
    ):
        found = app("/category_tree/0/get_category_suggestions", q=words)
        first = found.json()["categorySuggestions"][0]
        assert first["category"]["categoryId"] == expected, words
        ancestors = [a["categoryId"] for a in first["categoryTreeNodeAncestors"]]
        assert ancestors == parents, words
    blank = app("/category_tree/0/get_category_suggestions", q=" ")
    assert blank.status_code == 400 and first_error(blank)["errorId"] == 62007
    assert violations(url, session) == []


def test_item_aspects_for_leaf_category(emu, app):
    url, session = emu
    answer = app("/category_tree/0/get_item_aspects_for_category", category_id="15687")
    assert answer.status_code == 200
    aspects = {a["localizedAspectName"]: a for a in answer.json()["aspects"]}
    assert set(aspects) == {"Brand", "Size", "Color"}
    brand = aspects["Brand"]["aspectConstraint"]
    assert brand["aspectRequired"] is True
    assert brand["aspectEnabledForVariations"] is False
    assert brand["aspectMode"] == "FREE_TEXT"
    assert brand["aspectDataType"] == "STRING"
    assert brand["itemToAspectCardinality"] == "SINGLE"
    assert brand["aspectUsage"] in ("RECOMMENDED", "OPTIONAL")
    assert aspects["Size"]["aspectConstraint"]["aspectEnabledForVariations"] is True
    phones = app("/category_tree/0/get_item_aspects_for_category", category_id="9355")
    by_name = {a["localizedAspectName"]: a for a in phones.json()["aspects"]}
    assert not by_name["Color"]["aspectConstraint"]["aspectRequired"]
    assert by_name["Color"]["aspectConstraint"]["aspectEnabledForVariations"]
    assert violations(url, session) == []


@pytest.mark.parametrize(
    ("category_id", "error_id"),
    [("15032", 62009), ("123456789", 62005), ("0", 62008)],
)
def test_item_aspects_refuse_bad_categories(app, category_id, error_id):
    answer = app(
        "/category_tree/0/get_item_aspects_for_category", category_id=category_id
    )
    assert answer.status_code == 400
    error = first_error(answer)
    assert error["errorId"] == error_id and error["domain"] == "API_TAXONOMY"
    assert error["category"] == "REQUEST" and error["message"]


def test_taxonomy_needs_an_application_token(emu, user):
    url, session = emu
    path = f"{url}{TAXONOMY}/get_default_category_tree_id?marketplace_id=EBAY_US"
    refused = session.get(path, headers=bearer(user), timeout=5)
    assert refused.status_code == 401 and first_error(refused)["errorId"] == 1001
    assert session.get(path, timeout=5).status_code == 401


def test_taxonomy_client(emu):
    url, session = emu
    api = TaxonomyApi(client_for(url, app_token(url, session)))
    assert api.get_default_category_tree_id("EBAY_DE") == "77"
    tree = api.get_category_tree("0")
    assert tree["rootCategoryNode"]["category"]["categoryId"] == "0"
    (found,) = api.get_category_suggestions("0", "smartphone")
    assert found == {
        "category_id": "9355",
        "name": "Cell Phones & Smartphones",
        "path": ["Cell Phones & Accessories"],
        "parent_id": "15032",
        "level": 2,
    }
    assert api.get_category_suggestions("0", "zeppelin") == []
    aspects, raw = api.get_item_aspects_for_category("0", "9355")
    assert aspects[0] == {
        "name": "Brand",
        "required": True,
        "mode": "FREE_TEXT",
        "variations": False,
    }
    assert [a["name"] for a in aspects] == [
        a["localizedAspectName"] for a in raw["aspects"]
    ]
    assert api.item_aspects("0", "9355") == aspects
    assert api.suggestions("0", "books") == [("267", "Books", [])]
    with pytest.raises(EbayValidationError) as err:
        api.get_item_aspects_for_category("0", "15032")
    assert err.value.error_ids == [62009]
    assert violations(url, session) == []


# -- Media --------------------------------------------------------------------------
def upload(url, session, token, content, filename="p.png", kind="image/png"):
    return session.post(
        f"{url}{MEDIA}/image/create_image_from_file",
        files={"image": (filename, content, kind)},
        headers=bearer(token),
        timeout=5,
    )


def test_upload_and_get_image(emu, user):
    url, session = emu
    created = upload(url, session, user, PNG)
    assert created.status_code == 201, created.text
    location = created.headers["Location"]
    assert location.startswith(f"{url}{MEDIA}/image/")
    image_id = location.rsplit("/", 1)[1]
    body = created.json()
    assert body["imageUrl"] == (
        f"https://i.ebayimg.com/images/g/{image_id}/s-l1600.jpg"
    )
    assert body["maxDimensionImageUrl"].startswith("https://i.ebayimg.com/")
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", body["expirationDate"])
    got = session.get(location, headers=bearer(user), timeout=5)
    assert got.status_code == 200 and got.json() == body
    jpeg = upload(url, session, user, JPEG, "p.jpg", "image/jpeg")
    assert jpeg.status_code == 201
    assert jpeg.headers["Location"] != location
    assert violations(url, session) == []


def test_upload_stores_the_bytes_checksum(emulator, emu, user):
    url, session = emu
    created = upload(url, session, user, PNG)
    image_id = created.headers["Location"].rsplit("/", 1)[1]
    stored = emulator.state.data["images"][image_id]
    assert stored["sha256"] == hashlib.sha256(PNG).hexdigest()
    assert stored["format"] == "PNG" and stored["size"] == len(PNG)


def test_bad_uploads_are_refused(emu, user):
    url, session = emu
    text = upload(url, session, user, b"hello, not a picture", "a.png")
    assert text.status_code == 400
    assert first_error(text)["errorId"] == 190203
    assert first_error(text)["domain"] == "API_MEDIA"
    empty = upload(url, session, user, b"", "a.png")
    assert empty.status_code == 400 and first_error(empty)["errorId"] == 190203
    as_json = session.post(
        f"{url}{MEDIA}/image/create_image_from_file",
        json={"image": "p.png"},
        headers=bearer(user),
        timeout=5,
    )
    assert as_json.status_code == 400
    wrong_part = session.post(
        f"{url}{MEDIA}/image/create_image_from_file",
        files={"picture": ("p.png", PNG, "image/png")},
        headers=bearer(user),
        timeout=5,
    )
    assert wrong_part.status_code == 400
    app = upload(url, session, app_token(url, session), PNG)
    assert app.status_code == 401
    missing = session.get(f"{url}{MEDIA}/image/nope", headers=bearer(user), timeout=5)
    assert missing.status_code == 404 and first_error(missing)["errorId"] == 190200


def test_image_from_url(emu, user):
    url, session = emu
    created = session.post(
        f"{url}{MEDIA}/image/create_image_from_url",
        json={"imageUrl": "https://example.com/a.jpg"},
        headers=bearer(user),
        timeout=5,
    )
    assert created.status_code == 201 and created.json()["imageUrl"]
    plain = session.post(
        f"{url}{MEDIA}/image/create_image_from_url",
        json={"imageUrl": "http://example.com/a.jpg"},
        headers=bearer(user),
        timeout=5,
    )
    assert plain.status_code == 400 and first_error(plain)["errorId"] == 190204
    assert violations(url, session) == []


def test_media_client(emu, user):
    url, session = emu
    api = MediaApi(client_for(url, user))
    uploaded = api.upload_image("p.png", PNG, "image/png")
    image_id, image_url = uploaded
    assert uploaded.image_url == image_url

    assert image_id and image_url.endswith(f"/{image_id}/s-l1600.jpg")
    assert api.get_image(image_id)["imageUrl"] == image_url
    other_id, _url = api.upload_image_from_url("https://example.com/b.png")
    assert other_id != image_id
    with pytest.raises(EbayValidationError) as err:
        api.upload_image("notes.txt", b"plain text", "text/plain")
    assert err.value.error_ids == [190203]
    assert violations(url, session) == []
