def test_login_page_shows_the_contract_labels(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("Username", "Password", "Log in"):
        assert label in html
