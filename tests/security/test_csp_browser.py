"""The Content-Security-Policy in a real browser: the pages raise no violation and still work."""

import pytest

from tests.factories import make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

# Collected before any page script runs; Playwright's init scripts are not subject to the CSP.
LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile);
});
"""


@pytest.fixture
def watched_page(browser):
    context = browser.new_context(locale="zh-CN")
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.set_default_timeout(15_000)
    console = []
    page.on(
        "console",
        lambda msg: (
            console.append(msg.text)
            if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text
            else None
        ),
    )
    page.console_violations = console
    yield page
    context.close()


def visit(page, url: str) -> None:
    response = page.goto(url)
    assert response.status < 400, f"{url} answered {response.status}"
    assert "object-src 'none'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    page.wait_for_timeout(150)  # violation events are dispatched asynchronously
    violations = page.evaluate("window.__csp") + page.console_violations
    assert violations == [], f"CSP violations on {url}: {violations}"


def test_public_donation_admin_and_committee_pages_raise_no_violation(
    watched_page, live_server, world
):
    page = watched_page
    base = live_server.url
    for path in (
        "/",
        "/projects/",
        f"/projects/{world.project.code}/",
        "/donate/",
        f"/d/{world.point.code}/",
        f"/funds/{world.fund.code}/",
        "/disclosure/",
        "/donate/lookup/",
        "/volunteer/",
        "/volunteer/join/",
        "/volunteer/login/",
        f"/stations/{world.network.street_a.code}/",
    ):
        visit(page, base + path)

    # A gift through the sandbox gateway: the form posts to our own gateway page and back.
    visit(page, f"{base}/d/{world.point.code}/")
    page.get_by_label(world.fund.name).check()
    page.get_by_label("¥50").check()
    page.get_by_label("在线支付（演示）").check()
    page.get_by_role("button", name="我要捐款").click()
    page.wait_for_url("**/pay/sandbox/**")
    assert page.evaluate("window.__csp") == []
    page.get_by_role("button", name="支付 ¥50.00").click()
    page.wait_for_url("**/donate/g/**")
    assert page.evaluate("window.__csp") == [] and page.console_violations == []

    # The admin's own JavaScript runs: the "select all" box of a change list ticks every row.
    admin = make_user("csp-admin", is_superuser=True, is_staff=True)
    admin.set_password("pw-Secret-123")
    admin.save()
    visit(page, f"{base}/admin/login/")
    page.fill("#id_username", "csp-admin")
    page.fill("#id_password", "pw-Secret-123")
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"{base}/admin/")
    visit(page, f"{base}/admin/")
    visit(page, f"{base}/admin/stations/station/")
    page.locator("#action-toggle").check()
    assert page.locator("input.action-select:checked").count() >= 1
    assert page.evaluate("typeof django !== 'undefined' && typeof django.jQuery === 'function'")
    visit(page, f"{base}/admin/funds/fund/{world.fund.pk}/change/")
    visit(page, f"{base}/admin/donations/donation/")

    # Swagger UI (our static copy) builds its page from JavaScript.
    visit(page, f"{base}/api/docs/")
    page.wait_for_selector(".swagger-ui .info", timeout=15_000)
    assert page.evaluate("window.__csp") == []

    # The committee dashboard, signed in as a member of the fund's committee.
    page.context.clear_cookies()
    visit(page, f"{base}/funds/{world.fund.code}/login/")
    page.fill("#id_username", world.committee_member.username)
    page.fill("#id_password", "pw-Secret-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**/funds/{world.fund.code}/dashboard/")
    visit(page, f"{base}/funds/{world.fund.code}/dashboard/")
    assert page.locator("svg").count() >= 1
