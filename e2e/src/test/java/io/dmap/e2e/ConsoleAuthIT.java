package io.dmap.e2e;

import io.dmap.testsupport.DmapInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console in a real headless Chromium against a planner with authentication on: the first page load goes to the
 * sign-in page, an API key entered there lets the browser load pages, start a run from the form and follow it to
 * the end over the progress stream (EventSource, which carries the cookie), and signing out sends it back.
 */
class ConsoleAuthIT {

    static final String KEY = "console-operate-key-5d1e";
    static final String RESULTS = "dmap-demo-results";

    static ServicesUnderTest services;
    static ChromeDriver browser;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        browser = Chromium.start(1280, 800);
        DmapInfra infra = DmapInfra.shared();
        infra.createBucket(RESULTS);
        services = new ServicesUnderTest(infra, "consoleauth" + System.nanoTime() % 100000, 4)
                .with("planner", Map.of(
                        "planner.auth.enabled", "true",
                        "planner.auth.api-keys.console.sha256", sha256(KEY),
                        "planner.auth.api-keys.console.role", "operate"))
                .startAll(1);
        base = services.plannerUrl().toString();
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (services != null) {
            services.close();
        }
    }

    @Test
    void signInOnceThenPagesTheFormAndTheLiveProgressWork() {
        browser.get(base + "/new");
        await(d -> d.getCurrentUrl().contains("/login.html"));
        assertTrue(browser.getCurrentUrl().endsWith("then=%2Fnew"), browser.getCurrentUrl());

        browser.findElement(By.id("token")).sendKeys(KEY);
        browser.findElement(By.cssSelector("#sign-in button")).click();
        await(d -> d.getCurrentUrl().endsWith("/new"));
        Cookie cookie = browser.manage().getCookieNamed("dmap-token");
        assertEquals("Strict", cookie.getSameSite());

        // the sample run, started from the form (its POST carries the console's header), followed to its end
        browser.findElement(By.id("start")).click();
        await(d -> d.getCurrentUrl().contains("/runs/"));
        wait(Duration.ofMinutes(3), d -> "SUCCEEDED".equals(d.findElement(By.id("status")).getText())
                && "100".equals(d.findElement(By.id("bar")).getAttribute("aria-valuenow")));

        List<String> errors = Chromium.consoleErrors(browser);
        assertTrue(errors.isEmpty(), () -> "the browser console logged errors: " + errors);

        browser.findElement(By.linkText("Sign out")).click();
        await(d -> d.findElement(By.id("signed-out")).isDisplayed());
        browser.get(base + "/");
        await(d -> d.getCurrentUrl().contains("/login.html"));
    }

    private static <T> T await(Function<WebDriver, T> condition) {
        return wait(Duration.ofSeconds(30), condition);
    }

    private static <T> T wait(Duration timeout, Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(browser, timeout, Duration.ofMillis(200)).until(condition::apply);
        } catch (RuntimeException e) {
            throw new AssertionError("at " + browser.getCurrentUrl() + ": " + e.getMessage() + services.logs(), e);
        }
    }

    static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
