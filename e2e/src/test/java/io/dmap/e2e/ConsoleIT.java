package io.dmap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;
import io.dmap.testsupport.DmapInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console in a real headless Chromium against the three services as processes: a run started from the form
 * (keyboard only) is followed to 100 % and its result files, a failed child execution shows its Error and Cause, a
 * second run is aborted, a refused action shows the API's 409, the form shows a 400's problems beside their fields,
 * and the pages fit a phone's width. No page may log a console error. With {@code -Ddmap.console.screenshots=<dir>}
 * the list and run pages are saved there as PNGs (docs/console-list.png and docs/console-run.png come from it).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    static final String RESULTS = "dmap-demo-results";
    static final Duration RUN = Duration.ofMinutes(3);

    static DmapInfra infra;
    static ServicesUnderTest services;
    static ChromeDriver browser;
    static String base;
    static String sampleRunId;

    @BeforeAll
    static void start() throws Exception {
        browser = Chromium.start(1280, 800);
        infra = DmapInfra.shared();
        infra.createBucket(RESULTS);
        services = new ServicesUnderTest(infra, "console" + System.nanoTime() % 100000, 4).startAll(1);
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

    /**
     * Chromium logs each 4xx answer to a fetch as a console error: the ones a test provokes on purpose (a refused
     * action, an invalid definition) are named here, by URL and status; any other console error fails the test.
     */
    private final List<String> provoked = new java.util.ArrayList<>();

    @AfterEach
    void noConsoleErrors() {
        List<String> errors = Chromium.consoleErrors(browser).stream()
                .filter(e -> provoked.stream().noneMatch(e::contains)).toList();
        assertTrue(errors.isEmpty(), () -> "the browser console logged errors: " + errors);
    }

    @Test
    @Order(1)
    void aRunStartedFromTheFormWithTheKeyboardIsFollowedToItsResultFiles() throws Exception {
        browser.get(base + "/");
        assertTrue(browser.getTitle().startsWith("Map runs"), browser::getTitle);
        focusByTab("New run").sendKeys(Keys.ENTER);
        await(d -> d.getCurrentUrl().endsWith("/new"));

        // the sample definition as it comes: Tab from the Map state to the Input to the button, Enter starts it
        WebElement definition = browser.findElement(By.id("definition"));
        assertTrue(definition.getAttribute("value").contains("\"Unlucky\""), "the sample is in the form");
        definition.click();
        definition.sendKeys(Keys.TAB);
        assertEquals("input", active().getAttribute("id"));
        active().sendKeys(Keys.TAB);
        assertEquals("start", active().getAttribute("id"));
        active().sendKeys(Keys.ENTER);

        await(d -> d.getCurrentUrl().contains("/runs/"));
        sampleRunId = browser.findElement(By.id("run")).getAttribute("data-id");
        awaitLong(d -> "100".equals(d.findElement(By.id("bar")).getAttribute("aria-valuenow"))
                && "SUCCEEDED".equals(d.findElement(By.id("status")).getText()));
        assertEquals("100 %", browser.findElement(By.id("percent")).getText());
        assertEquals("40", count("itemCounts", "total"));
        assertEquals("36", count("itemCounts", "succeeded"));
        assertEquals("4", count("itemCounts", "failed"));
        assertEquals("1", count("executionCounts", "failed"));
        assertEquals("40", count("itemCounts", "resultsWritten"));
        assertTrue(setting("Writer").contains(RESULTS), setting("Writer"));
        assertTrue(setting("Reader").contains("Input (40 items)"), setting("Reader"));

        // failures grouped by Error, then the failed execution itself, opened from the list filtered by status
        // looked up afresh as well: a live refresh may render the failures table again between a find and a read
        String group = await(d -> d.findElement(By.cssSelector("#failures tr[data-error='Unlucky']")).getText());
        assertTrue(group.contains("the batch starts with 13"), group);
        new Select(browser.findElement(By.id("execution-status"))).selectByValue("FAILED");
        browser.findElement(By.cssSelector("#executions-filter button")).click();
        await(d -> d.findElements(By.cssSelector("#executions tbody tr[data-execution]")).size() == 1
                && "FAILED".equals(d.findElement(By.cssSelector("#executions tbody tr[data-execution]")).getAttribute("data-status")));
        // a live refresh may render the rows again: each is looked up afresh
        String row = "#executions tbody tr[data-status='FAILED'] ";
        assertEquals("Unlucky", await(d -> d.findElement(By.cssSelector(row + "[data-field=error]")).getText()));
        assertEquals("the batch starts with 13", await(d -> d.findElement(By.cssSelector(row + "[data-field=cause]")).getText()));
        await(d -> {
            d.findElement(By.cssSelector(row + "summary")).sendKeys(Keys.ENTER); // <details> opens from the keyboard
            return true;
        });
        String input = await(d -> d.findElement(By.cssSelector(row + "details[open] pre")).getText());
        assertEquals(Json.parse("[13,14,15,16]"), Json.parse(input).path("Items"), input);

        // the result files, downloaded through the planner
        await(d -> d.findElements(By.cssSelector("#results li[data-category] a")).size() >= 2);
        screenshot("console-run.png", 1900);
        WebElement failedFile = browser.findElement(By.cssSelector("#results li[data-category='FAILED'] a"));
        HttpResponse<String> download = httpGet(failedFile.getAttribute("href"));
        assertEquals(200, download.statusCode(), download::body);
        assertTrue(download.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment"));
        JsonNode records = Json.parse(download.body());
        assertEquals(1, records.size(), download.body());
        assertEquals("Unlucky", records.get(0).path("Error").asText(), download.body());
        String manifestHref = browser.findElement(By.cssSelector("#results li:first-child a")).getAttribute("href");
        assertEquals(200, httpGet(manifestHref).statusCode());
        assertEquals(404, httpGet(base + "/map-runs/" + sampleRunId + "/results/file?key=elsewhere/secret.json").statusCode(),
                "only the run's own result files can be read");

        // an action the API refuses shows its answer: the run has ended
        provoked.add("/abort - Failed to load resource: the server responded with a status of 409");
        browser.findElement(By.id("abort")).sendKeys(Keys.ENTER);
        WebElement ok = await(d -> d.findElement(By.id("confirm-ok")).isDisplayed() ? d.findElement(By.id("confirm-ok")) : null);
        assertEquals("confirm-ok", active().getAttribute("id"), "the dialog takes the focus");
        ok.sendKeys(Keys.ENTER);
        await(d -> d.findElement(By.id("action-result")).getText().contains("409"));
        assertTrue(browser.findElement(By.id("action-result")).getText().contains("already ended"),
                browser.findElement(By.id("action-result")).getText());
    }

    @Test
    @Order(2)
    void aSecondRunIsAbortedFromItsPage() {
        browser.get(base + "/new");
        String slow = """
                {"Label": "console-slow", "ItemBatcher": {"MaxItemsPerBatch": 1}, "MaxConcurrency": 1,
                 "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                   "StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 1, "End": true}}},
                 "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "%s", "Prefix": "slow"}}}
                """.formatted(RESULTS);
        fill("definition", slow);
        fill("input", "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30]");
        browser.findElement(By.id("start")).click();
        await(d -> d.getCurrentUrl().contains("/runs/"));
        awaitLong(d -> Long.parseLong(count("executionCounts", "succeeded")) >= 1);
        assertEquals("RUNNING", browser.findElement(By.id("status")).getText());

        browser.findElement(By.id("abort")).click();
        WebElement ok = await(d -> d.findElement(By.id("confirm-ok")).isDisplayed() ? d.findElement(By.id("confirm-ok")) : null);
        ok.click();
        await(d -> d.findElement(By.id("action-result")).getText().contains("Abort requested"));
        awaitLong(d -> "ABORTED".equals(d.findElement(By.id("status")).getText()));
        assertTrue(Long.parseLong(count("itemCounts", "pending")) > 0, "batches never started stay pending");
        await(d -> !d.findElements(By.cssSelector("#results li[data-category='PENDING']")).isEmpty());
    }

    @Test
    @Order(3)
    void theFormShowsEachProblemBesideTheFieldItNames() {
        browser.get(base + "/new");
        String processor = """
                "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                  "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}""";
        provoked.add("/map-runs - Failed to load resource: the server responded with a status of 400");

        // a problem of the Map state: beside the Map state's box
        fill("definition", "{\"MaxConcurrency\": -1, " + processor + "}");
        fill("input", "[1, 2]");
        browser.findElement(By.id("start")).click();
        await(d -> !d.findElements(By.cssSelector("#definition-problems li")).isEmpty());
        WebElement problem = browser.findElement(By.cssSelector("#definition-problems li"));
        assertEquals("MaxConcurrency", problem.getAttribute("data-field"));
        assertTrue(problem.getText().contains("must be between 0 and 10000"), problem.getText());
        assertEquals("true", browser.findElement(By.id("definition")).getAttribute("aria-invalid"));
        assertEquals("definition", active().getAttribute("id"), "the box with the problem takes the focus");
        assertTrue(browser.findElements(By.cssSelector("#input-problems li")).isEmpty());
        assertTrue(browser.findElement(By.id("form-result")).getText().startsWith("400"),
                browser.findElement(By.id("form-result")).getText());

        // Input missing (no ItemReader): beside the Input box, and the Map state's box is clear again
        fill("definition", "{" + processor + "}");
        fill("input", "");
        browser.findElement(By.id("start")).click();
        await(d -> !d.findElements(By.cssSelector("#input-problems li")).isEmpty());
        WebElement missing = browser.findElement(By.cssSelector("#input-problems li"));
        assertEquals("Input", missing.getAttribute("data-field"));
        assertTrue(missing.getText().contains("is required"), missing.getText());
        assertTrue(browser.findElements(By.cssSelector("#definition-problems li")).isEmpty());
        assertEquals("input", active().getAttribute("id"));

        // not JSON: said beside the box, before anything is sent
        fill("definition", "{" + processor + "}");
        fill("input", "[1, 2");
        browser.findElement(By.id("start")).click();
        await(d -> d.findElement(By.id("input-problems")).getText().contains("is not valid JSON"));
        assertTrue(browser.getCurrentUrl().endsWith("/new"), "stays on the form");
    }

    @Test
    @Order(4)
    void theListFiltersByStatusUpdatesLiveAndFitsAPhone() throws Exception {
        browser.get(base + "/");
        await(d -> d.findElements(By.cssSelector("#runs-rows tr[data-run]")).size() >= 2);
        screenshot("console-list.png", 800);
        new Select(browser.findElement(By.id("status"))).selectByValue("ABORTED");
        browser.findElement(By.cssSelector("form.filters button")).click();
        await(d -> d.getCurrentUrl().contains("status=ABORTED"));
        List<WebElement> rows = browser.findElements(By.cssSelector("#runs-rows tr[data-run]"));
        assertEquals(1, rows.size());
        assertTrue(rows.get(0).getText().contains("console-slow"), rows.get(0).getText());
        browser.get(base + "/?status=SUCCEEDED");
        WebElement sample = browser.findElement(By.cssSelector("#runs-rows tr[data-run='" + sampleRunId + "']"));
        assertEquals("100", sample.findElement(By.cssSelector("[role=progressbar]")).getAttribute("aria-valuenow"));

        // live: a run started elsewhere appears in the open list without a reload
        browser.get(base + "/");
        int before = browser.findElements(By.cssSelector("#runs-rows tr[data-run]")).size();
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/map-runs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                        {"Label": "console-live", "Input": [1, 2],
                         "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                           "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}
                        """)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created::body);
        await(d -> d.findElements(By.cssSelector("#runs-rows tr[data-run]")).size() == before + 1);

        browser.manage().window().setSize(new Dimension(390, 844));
        try {
            for (String page : List.of("/", "/runs/" + sampleRunId, "/new")) {
                browser.get(base + page);
                Long overflow = (Long) ((JavascriptExecutor) browser).executeScript(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
                assertTrue(overflow <= 0, page + " is wider than a phone by " + overflow + " px");
            }
        } finally {
            browser.manage().window().setSize(new Dimension(1280, 800));
        }
    }

    private WebElement focusByTab(String text) {
        WebElement body = browser.findElement(By.tagName("body"));
        body.sendKeys(Keys.TAB);
        for (int i = 0; i < 15; i++) {
            if (text.equals(active().getText())) {
                return active();
            }
            active().sendKeys(Keys.TAB);
        }
        throw new AssertionError("'" + text + "' cannot be reached with Tab");
    }

    private WebElement active() {
        return browser.switchTo().activeElement();
    }

    private String count(String kind, String name) {
        return browser.findElement(By.cssSelector("[data-counts='" + kind + "'] [data-c='" + name + "']")).getText();
    }

    private String setting(String name) {
        return browser.findElement(By.cssSelector("[data-setting='" + name + "']")).getText();
    }

    /** Sets a text box's value at once (typing a long JSON key by key is slow), as a paste would. */
    private void fill(String id, String value) {
        WebElement box = browser.findElement(By.id(id));
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1];", box, value);
    }

    private <T> T await(Function<org.openqa.selenium.WebDriver, T> condition) {
        return wait(Duration.ofSeconds(30), condition);
    }

    private <T> T awaitLong(Function<org.openqa.selenium.WebDriver, T> condition) {
        return wait(RUN, condition);
    }

    private <T> T wait(Duration timeout, Function<org.openqa.selenium.WebDriver, T> condition) {
        try {
            return new WebDriverWait(browser, timeout, Duration.ofMillis(200)).until(d -> {
                try {
                    T v = condition.apply(d);
                    return v instanceof Boolean b ? (b ? v : null) : v;
                } catch (org.openqa.selenium.NoSuchElementException | org.openqa.selenium.StaleElementReferenceException
                         | NumberFormatException e) {
                    return null;
                }
            });
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError(e.getMessage() + "\npage " + browser.getCurrentUrl() + ":\n"
                    + browser.findElement(By.tagName("body")).getText() + services.logs(), e);
        }
    }

    private static HttpResponse<String> httpGet(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The page from its top, {@code height} pixels of it, when screenshots are asked for. */
    private void screenshot(String name, int height) throws IOException {
        String dir = System.getProperty("dmap.console.screenshots");
        if (dir == null || dir.isBlank()) {
            return;
        }
        Path target = Path.of(dir).resolve(name);
        Files.createDirectories(target.getParent());
        browser.manage().window().setSize(new Dimension(1280, height));
        try {
            ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0); document.activeElement.blur();");
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            target.toFile().setReadable(true, false);
        } finally {
            browser.manage().window().setSize(new Dimension(1280, 800));
        }
    }
}
