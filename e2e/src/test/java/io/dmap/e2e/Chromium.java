package io.dmap.e2e;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.stream.Stream;

/**
 * A real headless Chromium driven through chromedriver, both from the system (Debian's {@code chromium} and
 * {@code chromium-driver}; {@code .ci/run} installs them). Nothing is downloaded. Missing on CI (or with
 * {@code -Ddmap.test.browser=required}): the test fails; missing on a developer's machine: it is skipped, saying
 * what to install.
 */
final class Chromium {

    static final String INSTALL = "the console's browser tests need Chromium and its WebDriver: "
            + "apt-get install chromium chromium-driver (.ci/run installs them), or point DMAP_CHROMIUM and "
            + "DMAP_CHROMEDRIVER at a chromium binary and its chromedriver";

    private Chromium() {
    }

    static ChromeDriver start(int width, int height) {
        Optional<Path> binary = find("DMAP_CHROMIUM", "/usr/bin/chromium", "/usr/bin/chromium-browser",
                "/usr/bin/google-chrome");
        Optional<Path> driver = find("DMAP_CHROMEDRIVER", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
        if (binary.isEmpty() || driver.isEmpty()) {
            String missing = (binary.isEmpty() ? "chromium " : "") + (driver.isEmpty() ? "chromedriver " : "") + "not found; ";
            if (System.getenv("CI") != null || "required".equals(System.getProperty("dmap.test.browser"))) {
                Assertions.fail(missing + INSTALL);
            }
            System.err.println("SKIPPED: " + missing + INSTALL);
            Assumptions.abort(missing + INSTALL);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.get().toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(binary.get().toFile());
        // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=" + width + "," + height, "--no-first-run", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--hide-scrollbars");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        return new ChromeDriver(service, options);
    }

    /** The browser console's errors since the last call (the log is drained by reading it). */
    static List<String> consoleErrors(ChromeDriver driver) {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::toString).toList();
    }

    private static Optional<Path> find(String env, String... candidates) {
        String configured = System.getenv(env);
        Stream<String> paths = configured != null && !configured.isBlank()
                ? Stream.of(configured) : Stream.of(candidates);
        return paths.map(Path::of).filter(Files::isExecutable).findFirst();
    }
}
