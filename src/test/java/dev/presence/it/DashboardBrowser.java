package dev.presence.it;

import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One headless Chromium page driven by {@code src/test/e2e/dashboard-driver.mjs} (playwright-core under Node), a
 * process of its own: commands go to its stdin and replies come back on its stdout, one JSON object per line each
 * (the script's header lists them). Every wait is bounded: Playwright's own timeout inside the script, and
 * {@link #call}'s on this side, a little longer, in case the script itself hangs.
 *
 * <p>Missing tools fail the test (never skip it), naming the command that installs them: a dashboard test that
 * silently does not run would hide a broken page. Not thread-safe: use from the test thread only.
 */
final class DashboardBrowser implements AutoCloseable {

  /** Where the driver script and its package.json/package-lock.json live (Maven runs tests from the basedir). */
  static final Path E2E_DIR = Path.of("src", "test", "e2e");

  private static final Duration NPM_CI_LIMIT = Duration.ofMinutes(5);
  /** Added to a command's own timeout before this side gives up on the script. */
  private static final Duration SLACK = Duration.ofSeconds(10);
  private static final String EOF = "\u0000eof";

  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
  private final Path log;

  private DashboardBrowser(Process process, Path log) {
    this.process = process;
    this.log = log;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(this::readReplies, "dashboard-driver-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Checks for Node and Chromium, runs {@code npm ci} if {@code node_modules} is missing, and starts the driver.
   *
   * @param log file for the driver's stderr (and npm's output)
   * @return the driver, with no page open yet
   */
  static DashboardBrowser start(Path log) throws IOException, InterruptedException {
    String chromium = System.getProperty("dashboard.chromium", "/usr/bin/chromium");
    if (!Files.isExecutable(Path.of(chromium))) {
      fail("Chromium is missing at " + chromium + ": install it with `apt-get update && apt-get install -y "
          + "chromium` (or pass -Ddashboard.chromium=/path/to/chromium)");
    }
    Path node = onPath("node");
    Path npm = onPath("npm");
    if (node == null || npm == null) {
      fail("node and npm (Node.js 18+) are needed on the PATH: install them with `apt-get update && "
          + "apt-get install -y nodejs npm`");
    }
    Files.createDirectories(log.getParent());
    if (!Files.isDirectory(E2E_DIR.resolve("node_modules").resolve("playwright-core"))) {
      npmCi(npm, log);
    }
    ProcessBuilder builder = new ProcessBuilder(node.toString(), "dashboard-driver.mjs")
        .directory(E2E_DIR.toFile())
        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("CHROMIUM_PATH", chromium);
    return new DashboardBrowser(builder.start(), log);
  }

  private static void npmCi(Path npm, Path log) throws IOException, InterruptedException {
    Process ci = new ProcessBuilder(npm.toString(), "ci", "--no-audit", "--no-fund")
        .directory(E2E_DIR.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    if (!ci.waitFor(NPM_CI_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
      ci.destroyForcibly();
      fail("`npm ci` in " + E2E_DIR + " did not finish within " + NPM_CI_LIMIT + "; output in " + log);
    }
    if (ci.exitValue() != 0) {
      fail("`npm ci` in " + E2E_DIR + " exited with " + ci.exitValue() + ":\n" + Files.readString(log));
    }
  }

  private static Path onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, program);
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * Opens {@code url} in a new page and waits for its load event.
   *
   * @param timeout for the browser start and the load
   */
  void open(String url, Duration timeout) throws IOException, InterruptedException {
    call(new JsonObject().put("cmd", "open").put("url", url).put("timeoutMs", timeout.toMillis()), timeout);
  }

  /**
   * Waits until an element matches {@code selector}; fails the test if none does within {@code timeout}.
   *
   * @return the matching element's text at that moment
   */
  String waitFor(String selector, Duration timeout) throws IOException, InterruptedException {
    return call(new JsonObject().put("cmd", "waitFor").put("selector", selector)
        .put("timeoutMs", timeout.toMillis()), timeout).getString("text");
  }

  /**
   * As {@link #waitFor}, but a timeout is an answer, not a failure.
   *
   * @return whether an element matched within {@code timeout}
   */
  boolean appears(String selector, Duration timeout) throws IOException, InterruptedException {
    JsonObject reply = send(new JsonObject().put("cmd", "waitFor").put("selector", selector)
        .put("timeoutMs", timeout.toMillis()), timeout);
    return reply.getBoolean("ok", false);
  }

  /** Waits until no element matches {@code selector}; fails the test if one still does after {@code timeout}. */
  void waitGone(String selector, Duration timeout) throws IOException, InterruptedException {
    call(new JsonObject().put("cmd", "waitGone").put("selector", selector).put("timeoutMs", timeout.toMillis()),
        timeout);
  }

  /** Clicks the first element matching {@code selector}, waiting up to {@code timeout} for it to be clickable. */
  void click(String selector, Duration timeout) throws IOException, InterruptedException {
    call(new JsonObject().put("cmd", "click").put("selector", selector).put("timeoutMs", timeout.toMillis()),
        timeout);
  }

  /**
   * Evaluates a JavaScript expression in the page (a promise it yields is awaited).
   *
   * @return its value as JSON (a JSON object, array, string, number, boolean or null)
   */
  Object evaluate(String expression) throws IOException, InterruptedException {
    return call(new JsonObject().put("cmd", "evaluate").put("expression", expression), Duration.ofSeconds(10))
        .getValue("value");
  }

  /** @return the page's current URL */
  String url() throws IOException, InterruptedException {
    return call(new JsonObject().put("cmd", "url"), Duration.ZERO).getString("url");
  }

  /** @return console errors, uncaught page errors and CSP violations seen so far, as text */
  java.util.List<Object> problems() throws IOException, InterruptedException {
    return call(new JsonObject().put("cmd", "problems"), Duration.ZERO).getJsonArray("problems").getList();
  }

  /** Saves a full-page screenshot (PNG) to {@code path}. */
  void screenshot(Path path) throws IOException, InterruptedException {
    Files.createDirectories(path.toAbsolutePath().getParent());
    call(new JsonObject().put("cmd", "screenshot").put("path", path.toAbsolutePath().toString()),
        Duration.ofSeconds(20));
  }

  private JsonObject call(JsonObject command, Duration timeout) throws IOException, InterruptedException {
    JsonObject reply = send(command, timeout);
    if (!reply.getBoolean("ok", false)) {
      fail(command.getString("cmd") + " " + command.encode() + " failed in the browser: " + reply.getString("error"));
    }
    return reply;
  }

  private JsonObject send(JsonObject command, Duration timeout) throws IOException, InterruptedException {
    stdin.write(command.encode() + "\n");
    stdin.flush();
    Duration limit = timeout.plus(SLACK);
    String line = replies.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null || line.equals(EOF)) {
      fail("the browser driver " + (line == null ? "did not answer within " + limit : "exited") + " on "
          + command.encode() + "; its log:\n" + Files.readString(log));
    }
    return new JsonObject(line);
  }

  private void readReplies() {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        replies.add(line);
      }
    } catch (IOException e) {
      // The process died: the EOF marker below tells the waiting call at once instead of at its timeout.
    }
    replies.add(EOF);
  }

  /** Asks the script to close Chromium; kills it if it has not exited within 10 s. */
  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        stdin.write(new JsonObject().put("cmd", "close").encode() + "\n");
        stdin.flush();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      // Already gone; the kill below is all that is left to do.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      process.destroyForcibly();
    }
  }
}
