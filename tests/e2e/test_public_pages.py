"""Pages anyone sees: the home page, the catalogue, a service, the API docs and an unknown page."""


def test_home_catalogue_and_a_service(visitor):
    visitor.open("/")
    visitor.open("/services/")
    visitor.page.locator("main .cards a").first.click()
    visitor.check()


def test_an_unknown_page_is_the_bilingual_404(visitor):
    response = visitor.page.goto(visitor.base_url + "/no-such-page/")
    assert response.status == 404
    assert "الصفحة غير موجودة" in visitor.page.content()
    assert "Page not found" in visitor.page.content()
    visitor.check()
