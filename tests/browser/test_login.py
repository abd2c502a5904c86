def test_login_form_signs_a_user_in_and_opens_the_editor(page, login, author):
    login(author)
    assert page.url.endswith("/editor/")
    assert any(c["name"] == "sessionid" for c in page.context.cookies())


def test_login_with_a_wrong_password_keeps_the_username(page, author):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("author")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_label("Username").input_value() == "author"
    assert "correct username and password" in page.content()
