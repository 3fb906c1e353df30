// e2e.mjs -- end-to-end tests of the web chat in a real browser: Debian's
// chromium (/usr/bin/chromium, never a downloaded one) driven headless by
// playwright-core, against `faqbot run` with the webchat platform on a
// free loopback port.  Checks: the page connects and greets; a question
// gets the sourced answer with the disclaimer; a crisis message shows the
// crisis reply with tappable numbers first; a "did you mean" button asks
// its question; no CSP violation or script error; phone width without
// horizontal scrolling; the page reconnects after the daemon restarts.
// Screenshots go to build/webchat-*.png.  Last line: N passed, N failed.
//
// usage: node e2e.mjs REPO_ROOT   (tests/integration/browser.sh runs it)
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const root = path.resolve(process.argv[2] || ".");
const bot = path.join(root, "build", "faqbot");
const shots = path.join(root, "build");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "faqbot-e2e-"));
let passed = 0;
let failed = 0;

function check(cond, what) {
  if (cond) passed++;
  else {
    failed++;
    process.stderr.write("FAIL: " + what + "\n");
  }
}

// Start the daemon; resolves with { proc, port } once it logged "ready".
function startDaemon(port) {
  const state = path.join(tmp, "state");
  fs.mkdirSync(state, { recursive: true });
  const cfg = path.join(tmp, "faqbot.json");
  fs.writeFileSync(cfg, JSON.stringify({
    kb_dir: path.join(root, "faq"),
    state_dir: state,
    log_level: "info",
    flood: { user_rate: 0, room_rate: 0 },
    webchat: {
      enabled: true, port, title: "Medication FAQ (test)",
      greeting: "Hello from the end-to-end test.",
      assets_dir: path.join(root, "bot", "webchat"),
      conn_rate: 5, conn_burst: 20,
    },
  }));
  const proc = spawn(bot, ["run", "-c", cfg], {
    cwd: root, stdio: ["ignore", "ignore", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let log = "";
    let bound = 0;
    const timer = setTimeout(() => reject(new Error("daemon not ready: " +
      log.slice(-500))), 30000);
    proc.stderr.on("data", (chunk) => {
      log += chunk.toString();
      const m = log.match(/webchat: listening on http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) bound = Number(m[1]);
      if (bound && /ready/.test(log)) {
        clearTimeout(timer);
        resolve({ proc, port: bound });
      }
    });
    proc.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error("daemon exited " + code + ": " + log.slice(-500)));
    });
  });
}

function stopDaemon(d) {
  return new Promise((resolve) => {
    if (d.proc.exitCode !== null) return resolve(d.proc.exitCode);
    d.proc.removeAllListeners("exit");
    d.proc.on("exit", (code) => resolve(code));
    d.proc.kill("SIGTERM");
  });
}

// Type a question and wait for the next bot reply; returns its locator.
async function ask(page, text) {
  const before = await page.locator("#log li.msg.bot").count();
  await page.fill("#question", text);
  await page.press("#question", "Enter");
  const reply = page.locator("#log li.msg.bot").nth(before);
  await reply.waitFor({ timeout: 10000 });
  return reply;
}

async function main() {
  let d = await startDaemon(0);
  const url = `http://127.0.0.1:${d.port}/`;
  const profile = path.join(tmp, "profile");
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
      "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
    viewport: { width: 1280, height: 900 },
  });
  const problems = [];
  let restarting = false;	// refused websockets are expected then
  try {
    const page = ctx.pages()[0] || await ctx.newPage();
    page.on("console", (m) => {
      if (m.type() !== "error") return;
      if (restarting && /WebSocket connection to .* failed/.test(m.text()))
        return;
      problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(String(e)));

    // connects and greets
    await page.goto(url);
    await page.waitForSelector("body[data-connected='1']", { timeout: 10000 });
    check(await page.title() === "Medication FAQ (test)", "title from config");
    const greeting = await page.locator("#log li.greeting").textContent();
    check(greeting === "Hello from the end-to-end test.",
      "greeting from config: " + greeting);
    check(await page.locator("label[for='question']").count() === 1,
      "the input has a label");

    // keyboard only: Tab reaches the input
    await page.locator("body").click({ position: { x: 5, y: 5 } });
    let focused = "";
    for (let i = 0; i < 6 && focused !== "question"; i++) {
      await page.keyboard.press("Tab");
      focused = await page.evaluate(() => document.activeElement.id);
    }
    check(focused === "question", "Tab reaches the question field");

    // a question gets the sourced answer
    let reply = await ask(page, "what is klonopin");
    const body = await reply.locator(".body").textContent();
    check(/clonazepam/i.test(body), "answer about Klonopin: " + body.slice(0, 80));
    const links = reply.locator("ul.sources a");
    check(await links.count() >= 1, "the answer shows source links");
    const href = await links.first().getAttribute("href");
    check(/^https:\/\//.test(href || ""), "source link is https: " + href);
    check((await links.first().getAttribute("rel") || "").includes("noopener"),
      "source link has rel=noopener");
    check(await reply.locator(".disclaimer").count() === 1,
      "the answer shows the disclaimer");
    await page.screenshot({ path: path.join(shots, "webchat-answer-desktop.png"),
      fullPage: true });

    // hostile text from the user is shown as text, never as HTML
    await ask(page, "<img src=x onerror=alert(1)> <b>hi</b>");
    const mine = page.locator("#log li.msg.user").last();
    check(await mine.locator("img, b").count() === 0 &&
      (await mine.textContent()).includes("<img"), "user text is not HTML");

    // crisis: distinct reply, numbers first as tel:/sms: links.  Until the
    // pipeline runs the crisis detector, `faqbot ask` says level "none":
    // the check is then reported as skipped (stderr), not passed.
    const crisisText = "I want to kill myself tonight";
    const probe = spawnSync(bot, ["ask", "--json", "--kb",
      path.join(root, "faq"), crisisText], { cwd: root, encoding: "utf8" });
    let detector = true;
    try {
      detector = JSON.parse(probe.stdout).crisis.level !== "none";
    } catch (e) { /* keep checking */ }
    reply = await ask(page, crisisText);
    const isCrisis = await reply.evaluate((e) => e.classList.contains("crisis"));
    if (!detector) {
      process.stderr.write("SKIP: crisis reply (the pipeline does not " +
        "detect crisis yet: faqbot ask says level none)\n");
    } else {
      check(isCrisis, "crisis message gets the crisis reply");
    }
    if (isCrisis) {
      const first = await reply.evaluate((e) => e.firstElementChild &&
        e.firstElementChild.className);
      check(first === "contacts", "numbers come first: " + first);
      const tel = reply.locator("ul.contacts a[href^='tel:']");
      check(await tel.count() >= 1, "a tappable tel: link");
      const sms = reply.locator("ul.contacts a[href^='sms:']");
      check(await sms.count() >= 1, "a tappable sms: link");
    }
    await page.screenshot({ path: path.join(shots, "webchat-crisis-desktop.png"),
      fullPage: true });

    // a "did you mean" button asks its question
    let buttons = null;
    // (which of them is vague enough depends on the KB's examples)
    for (const q of ["sleep", "sleeping", "help me sleep", "pills",
        "something for sleep", "trouble sleeping at night", "worry",
        "feeling off"]) {
      reply = await ask(page, q);
      if (await reply.locator(".suggest button").count() > 0) {
        buttons = reply.locator(".suggest button");
        break;
      }
    }
    check(buttons !== null, "a vague question offers suggestion buttons");
    if (buttons !== null) {
      const q = await buttons.first().textContent();
      const n = await page.locator("#log li.msg.bot").count();
      await buttons.first().focus();
      await page.keyboard.press("Enter");	// keyboard activation
      const next = page.locator("#log li.msg.bot").nth(n);
      await next.waitFor({ timeout: 10000 });
      const asked = await page.locator("#log li.msg.user").last().textContent();
      check(asked === q, "the button asked its question: " + q);
      check(await next.locator("ul.sources li").count() >= 1,
        "the suggested question gets a sourced answer");
      await page.screenshot({ path: path.join(shots,
        "webchat-suggest-desktop.png"), fullPage: true });
    }

    // phone width: no horizontal scrolling
    await page.setViewportSize({ width: 360, height: 740 });
    await page.locator("#log li.msg.bot").last().scrollIntoViewIfNeeded();
    const overflow = await page.evaluate(() =>
      document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 0, "no horizontal scroll at 360 px (" + overflow + ")");
    await page.screenshot({ path: path.join(shots, "webchat-phone.png") });

    // restart: the page notices, then reconnects by itself
    const port = d.port;
    restarting = true;
    const code = await stopDaemon(d);
    check(code === 0, "daemon exits 0 on SIGTERM");
    await page.waitForSelector("body[data-connected='0']", { timeout: 10000 });
    await page.screenshot({ path: path.join(shots,
      "webchat-disconnected-phone.png") });
    d = await startDaemon(port);
    await page.waitForSelector("body[data-connected='1']", { timeout: 20000 });
    restarting = false;
    check(true, "the page reconnected after the restart");
    reply = await ask(page, "what is melatonin");
    check(/melatonin/i.test(await reply.locator(".body").textContent()),
      "a question after the restart is answered");
    await page.screenshot({ path: path.join(shots,
      "webchat-reconnected-phone.png") });
    check(problems.length === 0, "no console errors or CSP violations: " +
      problems.join(" | "));
  } finally {
    await ctx.close();
    await stopDaemon(d);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  failed++;
  process.stderr.write("FAIL: e2e aborted: " + (e && e.stack || e) + "\n");
}).finally(() => {
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
});
