"""The one role × page helper for view tests: the logins (conftest fixtures), a client logged in as
one of them, and the answer a page gives each role.

    @pytest.mark.parametrize("who", ROLES)
    def test_page(request, client, who):
        response = client_for(request, client, who).get(url)
        assert response.status_code == expected(READ, who)

``tests/security/permissions.py`` holds the project-wide table of every URL; this helper is for the
per-app tests that check a page's answers in more detail (posts, objects of two regions)."""

ROLES = ["anonymous", "no_role_user", "admin_user", "staf_provinsi", "pimpinan", "anggota_tim", "staf_bangka",
         "staf_belitung"]

# The usual answers: anonymous → login redirect; no role → 403; a Bangka object for the Belitung staff → 404.
READ = {"anonymous": 302, "no_role_user": 403, "admin_user": 200, "staf_provinsi": 200, "pimpinan": 200,
        "anggota_tim": 200, "staf_bangka": 200, "staf_belitung": 404}
WRITE = {**READ, "pimpinan": 403, "anggota_tim": 403}


def client_for(request, client, who: str):
    """``client`` logged in as the fixture named ``who`` (``"anonymous"``: not logged in)."""
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    return client


def expected(table: dict, who: str, **overrides) -> int:
    return {**table, **overrides}[who]
