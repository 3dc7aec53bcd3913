package kata.realbrowser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * One person's real Chromium, headless, with a profile of its own (its own cookies), driven through
 * Debian's chromedriver. Nothing is downloaded: no driver manager, no browser download.
 */
final class Chromium implements AutoCloseable {
    static final Path BINARY = Path.of(System.getProperty("kata.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("kata.chromedriver", "/usr/bin/chromedriver"));
    static final Duration DEADLINE = Duration.ofSeconds(10);

    private final String name;
    private final Path profile;
    private final ChromeDriver driver;

    Chromium(String name) {
        Assumptions.assumeTrue(Files.isExecutable(BINARY) && Files.isExecutable(DRIVER),
                "Chromium is not installed (" + BINARY + ", " + DRIVER + "): the real-browser checks are SKIPPED. "
                        + "Install them with: apt-get install chromium chromium-driver");
        Logger.getLogger("org.openqa.selenium").setLevel(Level.SEVERE);
        this.name = name;
        try {
            this.profile = Files.createTempDirectory("kata-chromium-" + name.toLowerCase() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        // Headless, and nothing that reaches for the internet (closed here, and noise everywhere).
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .withLogOutput(java.io.OutputStream.nullOutputStream())
                .build();
        this.driver = new ChromeDriver(service, options);
    }

    String name() {
        return name;
    }

    Chromium open(String url) {
        driver.get(url);
        return this;
    }

    Object eval(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    List<String> texts(String selector) {
        List<String> texts = new ArrayList<>();
        for (WebElement element : driver.findElements(By.cssSelector(selector))) {
            texts.add((String) eval("return arguments[0].textContent;", element));
        }
        return texts;
    }

    private Object eval(String script, Object argument) {
        return ((JavascriptExecutor) driver).executeScript(script, argument);
    }

    /** Types into the chat page's field and presses its button, as a person would. */
    void send(String text) {
        WebElement field = driver.findElement(By.id("text"));
        field.clear();
        field.sendKeys(text);
        driver.findElement(By.id("send")).click();
    }

    List<String> messages() {
        return texts("#messages li");
    }

    void waitUntil(String expectation, BooleanSupplier done, Supplier<String> observed) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError(name + " in Chromium: " + expectation + " — still not so after "
                        + DEADLINE.toSeconds() + " s. Seen instead: " + observed.get());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    void waitForMessages(String... expected) {
        List<String> wanted = List.of(expected);
        waitUntil("should see exactly " + wanted, () -> messages().equals(wanted), () -> messages().toString());
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteQuietly(profile.toFile());
        }
    }

    private static void deleteQuietly(File file) {
        File[] children = file.listFiles();
        if (children != null) {
            for (File child : children) {
                deleteQuietly(child);
            }
        }
        file.delete();
    }
}
