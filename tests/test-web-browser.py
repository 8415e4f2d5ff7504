#!/usr/bin/env python3
# test-web-browser.py: the receiver's pages in a real browser (issue 16)
#
# Debian's chromium, driven headless by chromedriver through
# python3-selenium: log in to /desk, register a school, see it "not yet
# sent", upload a submission signed from the app's test fixture
# (tests/td-web-sign.c), see it "sent", search the catalogue in Chinese,
# open the school's page and its PDF, export the selection; then the same
# pages in English and at a phone's width. Screenshots go to
# $TD_TEST_SCREENSHOTS for review. Exit 77 (skipped) only when chromium,
# chromedriver or selenium is absent.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver") or (
    "/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)
try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    webdriver = None

if CHROMIUM is None or CHROMEDRIVER is None or webdriver is None:
    print("skipped: chromium, chromedriver or python3-selenium is missing", file=sys.stderr)
    sys.exit(77)

# chromedriver reaches the browser, and selenium chromedriver, by the name
# "localhost": say so plainly where it does not resolve (build-aux/dev test
# adds it to /etc/hosts).
try:
    socket.getaddrinfo("localhost", None)
except OSError:
    print("localhost does not resolve (no /etc/hosts?): chromedriver needs it", file=sys.stderr)
    sys.exit(1)

RECEIVER = os.environ["TD_TEST_RECEIVER"]
SIGN = os.environ["TD_TEST_WEB_SIGN"]
SHOTS = os.environ.get("TD_TEST_SCREENSHOTS", "web-screenshots")
STAFF, PASSWORD = "shengting", "correct horse battery staple"
SCHOOL, CITY, COUNTY = "烟台船舶工业学校", "烟台市", "芝罘区"
OTHER = "威海职业学院"
# Waits for the browser, not asserts of time: generous on a loaded machine.
WAIT = 60


def check(condition, what):
    if not condition:
        raise AssertionError(what)


def start_receiver(tmp, db):
    proc = subprocess.Popen([RECEIVER, "--database=" + db, "--port=0",
                             "--deadline=2030-12-31T17:00:00+08:00"],
                            stdout=subprocess.PIPE, stderr=open(os.path.join(tmp, "receiver.log"), "w"))
    line = proc.stdout.readline().decode()
    check(line.startswith("listening on "), "the receiver did not start: " + line)
    return proc, line[len("listening on "):].strip()


def upload(url, token, parts_dir):
    """POST /submissions, multipart, as the app sends it."""
    boundary = uuid.uuid4().hex
    body = b""
    for name, filename, ctype in (("form", "form.json", "application/json"),
                                  ("pdf", "form.pdf", "application/pdf"),
                                  ("signature", "signature.json", "application/json")):
        with open(os.path.join(parts_dir, filename), "rb") as f:
            data = f.read()
        body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; "
                 f"filename=\"{filename}\"\r\nContent-Type: {ctype}\r\n\r\n").encode() + data + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    with open(os.path.join(parts_dir, "uuid")) as f:
        key = f.read().strip()
    request = urllib.request.Request(url + "submissions", data=body, method="POST", headers={
        "Content-Type": "multipart/form-data; boundary=" + boundary,
        "Authorization": "Bearer " + token,
        "Idempotency-Key": key,
    })
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.loads(response.read())
        check(response.status == 201, f"upload: {response.status} {answer}")


def browser(language, width, height, downloads):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--window-size={width},{height}", f"--lang={language}", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {
        "intl.accept_languages": language,
        "download.default_directory": downloads,
        "download.prompt_for_download": False,
        "plugins.always_open_pdf_externally": True,
    })
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(WAIT)
    return driver


def follow(driver, element):
    """Clicks what leads to another page, and waits for that page: a
    click returns before the browser has left the page it was on."""
    old = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, WAIT).until(expected_conditions.staleness_of(old))
    WebDriverWait(driver, WAIT).until(lambda d: d.execute_script("return document.readyState") == "complete")


def shot(driver, name):
    os.makedirs(SHOTS, exist_ok=True)
    # The whole page: the window grows to its height.
    height = driver.execute_script("return document.documentElement.scrollHeight")
    width = driver.get_window_size()["width"]
    driver.set_window_size(width, max(400, min(height + 120, 4000)))
    path = os.path.join(SHOTS, name + ".png")
    driver.save_screenshot(path)
    print(f"# screenshot {path}")


def wait_for_file(directory, suffix):
    # Chromium reserves the file's name (empty) at once and writes into a
    # .crdownload beside it, renamed over it at the end: done when that is
    # gone and the file is not empty.
    for _ in range(WAIT * 10):
        names = os.listdir(directory)
        done = [n for n in names if n.endswith(suffix)]
        busy = [n for n in names if n.endswith(".crdownload")]
        if done and not busy and os.path.getsize(os.path.join(directory, done[0])) > 0:
            return os.path.join(directory, done[0])
        time.sleep(0.1)
    raise AssertionError(f"no {suffix} was downloaded")


def row_state(driver, name):
    for row in driver.find_elements(By.CSS_SELECTOR, "#schools tbody tr"):
        if row.find_elements(By.TAG_NAME, "td")[0].text == name:
            return row.get_attribute("data-state"), row.text
    raise AssertionError(f"{name} is not on the desk")


def exercise(tmp, url):
    """The whole path in the browser, against the receiver at @url."""
    downloads = os.path.join(tmp, "downloads")
    os.makedirs(downloads)
    driver = browser("zh-CN,zh", 1280, 900, downloads)
    try:
        # Log in.
        driver.get(url + "desk")
        shot(driver, "desk-login-zh")
        driver.find_element(By.ID, "name").send_keys(STAFF)
        driver.find_element(By.ID, "password").send_keys(PASSWORD)
        follow(driver, driver.find_element(By.ID, "login"))
        check("已登录：" + STAFF in driver.page_source, "not logged in")
        cookie = driver.get_cookie("td_session")
        check(cookie and cookie["httpOnly"] and cookie["sameSite"] == "Strict", f"the session cookie: {cookie}")

        # Register a school: its token shown once; not yet sent.
        driver.find_element(By.ID, "r-name").send_keys(SCHOOL)
        driver.find_element(By.ID, "r-city").send_keys(CITY)
        driver.find_element(By.ID, "r-county").send_keys(COUNTY)
        follow(driver, driver.find_element(By.ID, "register"))
        token = driver.find_element(By.ID, "new-token").text
        check(len(token) == 64, "no token: " + token)
        state, text = row_state(driver, SCHOOL)
        check(state == "missing" and "未报送" in text, f"after registering: {state} {text}")
        shot(driver, "desk-registered-zh")

        # A submission signed from the app's test fixture, uploaded.
        parts = os.path.join(tmp, "parts")
        os.makedirs(parts)
        subprocess.run([SIGN, parts, SCHOOL, CITY, COUNTY], check=True)
        upload(url, token, parts)
        driver.get(url + "desk")
        state, text = row_state(driver, SCHOOL)
        check(state == "sent" and "已报送" in text, f"after the upload: {state} {text}")
        state, text = row_state(driver, OTHER)
        check(state == "missing", f"the other school: {state} {text}")
        shot(driver, "desk-sent-zh")

        # The catalogue, searched by one Chinese character.
        driver.get(url + "catalogue")
        driver.find_element(By.ID, "q").send_keys("烟")
        follow(driver, driver.find_element(By.CSS_SELECTOR, "form.filters button"))
        check(driver.find_element(By.ID, "count").text == "共 1 所学校", driver.find_element(By.ID, "count").text)
        check("q=%E7%83%9F" in driver.current_url, driver.current_url)
        check(SCHOOL in driver.find_element(By.CSS_SELECTOR, "ol.schools").text, "the school is not listed")
        shot(driver, "catalogue-zh")

        # Export the selection (CSV), as the browser downloads it.
        driver.find_element(By.PARTIAL_LINK_TEXT, "CSV").click()
        csv_path = wait_for_file(downloads, ".csv")
        with open(csv_path, encoding="utf-8-sig") as f:
            exported = f.read()
        check(exported.startswith("单位名称,") and SCHOOL in exported and OTHER not in exported, exported)

        # The school's page, then its PDF.
        follow(driver, driver.find_element(By.LINK_TEXT, SCHOOL))
        check(driver.find_element(By.TAG_NAME, "h1").text == SCHOOL, "the school's page")
        check(len(driver.find_element(By.ID, "fingerprint").text) > 10, "no fingerprint")
        check("签名已验证" in driver.find_element(By.ID, "verification").text, "not verified")
        check("网络上传" in driver.page_source, "the channel")
        shot(driver, "school-zh")
        pdf_url = driver.find_element(By.ID, "pdf").get_attribute("href")
        driver.find_element(By.ID, "pdf").click()
        pdf_path = wait_for_file(downloads, ".pdf")
        with open(pdf_path, "rb") as f, open(os.path.join(parts, "form.pdf"), "rb") as g:
            check(f.read() == g.read(), "the PDF differs from the one signed")
        with urllib.request.urlopen(pdf_url, timeout=60) as response:
            check(response.headers["Content-Type"] == "application/pdf", response.headers["Content-Type"])
    finally:
        driver.quit()

    # English, desktop and phone.
    for language, width, height, suffix in (("en-GB,en", 1280, 900, "en"), ("en-GB,en", 390, 844, "en-phone"),
                                            ("zh-CN,zh", 390, 844, "zh-phone")):
        driver = browser(language, width, height, downloads)
        try:
            driver.get(url + "catalogue")
            english = language.startswith("en")
            title = driver.find_element(By.TAG_NAME, "h1").text
            check(title == ("Catalogue of training providers" if english else "培训机构目录"), title)
            check(driver.find_element(By.ID, "count").text == ("1 school" if english else "共 1 所学校"),
                  driver.find_element(By.ID, "count").text)
            # Readable on a phone: nothing wider than the window.
            overflow = driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            check(overflow <= 0, f"the page is {overflow} px wider than the window at {width}")
            shot(driver, "catalogue-" + suffix)
            follow(driver, driver.find_element(By.LINK_TEXT, SCHOOL))
            shot(driver, "school-" + suffix)
            driver.get(url + "desk")
            shot(driver, "desk-login-" + suffix)
        finally:
            driver.quit()



def main():
    tmp = tempfile.mkdtemp(prefix="test-web-browser-")
    db = os.path.join(tmp, "receiver.db")
    subprocess.run([RECEIVER, "--database=" + db, "--add-staff=" + STAFF], input=PASSWORD + "\n",
                   text=True, check=True, stderr=subprocess.DEVNULL)
    subprocess.run([RECEIVER, "--database=" + db, "--add-school=" + OTHER], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proc, url = start_receiver(tmp, db)
    try:
        exercise(tmp, url)
        proc.send_signal(signal.SIGTERM)
        check(proc.wait(timeout=60) == 0, "the receiver did not stop cleanly")
    finally:
        # Failed or not, no receiver is left running.
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    shutil.rmtree(tmp)
    print("ok: the desk and the catalogue in chromium")


if __name__ == "__main__":
    main()
