"""The HTML dashboard in a real headless Chromium (Debian chromium + chromium-driver, from
.ci/browser-deps.sh): opened from a file with no network, every finding a row, and the
filters really hide and show rows."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from pydriver.compliance.model import Report
from pydriver.report.compliance import render

CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None or DRIVER is None,
                       reason="needs Debian's chromium and chromium-driver "
                              "(apt-get install chromium chromium-driver, .ci/browser-deps.sh)"),
]

VISIBLE = ("return Array.from(document.querySelectorAll('tr.finding'))"
           ".filter(function(r){return r.offsetParent!==null;}).length;")


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    monkeypatch.setenv("SE_OFFLINE", "true")  # never let Selenium fetch a driver
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000", "--no-first-run"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=str(DRIVER)), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def test_dashboard_filters_rows_in_a_real_browser(browser: object, waived_report: Report,
                                                  tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support.ui import Select

    assert isinstance(browser, WebDriver)
    page = tmp_path / "check.html"
    page.write_text(render(waived_report, "html"), encoding="utf-8")
    data = json.loads(render(waived_report, "json"))
    findings = data["findings"]
    browser.get(page.as_uri())

    rows = browser.find_elements(By.CSS_SELECTOR, "tr.finding")
    assert len(rows) == len(findings)
    assert browser.execute_script(VISIBLE) == len(findings)
    assert browser.find_element(By.ID, "shown").text == str(len(findings))

    # filter by status: only the failures remain visible
    by_status = Counter(f["status"] for f in findings)
    Select(browser.find_element(By.ID, "f-status")).select_by_value("fail")
    assert browser.execute_script(VISIBLE) == by_status["fail"] < len(findings)
    assert browser.find_element(By.ID, "shown").text == str(by_status["fail"])
    visible = [r for r in rows if r.is_displayed()]
    assert {r.get_attribute("data-status") for r in visible} == {"fail"}

    # a click on an OPD in the summary shows that OPD's findings, whatever their status
    opd = "Dinas Kesehatan"
    button = browser.find_element(
        By.CSS_SELECTOR, f'table.summary[data-key="opd"] button.pick[data-value="{opd}"]')
    button.click()
    want = sum(1 for f in findings if f["opd"] == opd)
    assert browser.execute_script(VISIBLE) == want > 0
    assert Select(browser.find_element(By.ID, "f-status")).first_selected_option \
        .get_attribute("value") == ""

    # the waived findings, then reset
    Select(browser.find_element(By.ID, "f-opd")).select_by_value("")
    Select(browser.find_element(By.ID, "f-status")).select_by_value("waived")
    assert browser.execute_script(VISIBLE) == by_status["waived"] > 0
    shot = tmp_path / "dashboard.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 0
    print(f"dashboard screenshot: {shot}")
    browser.find_element(By.ID, "f-reset").click()
    assert browser.execute_script(VISIBLE) == len(findings)
