package dev.orchestrator.dashboard;

import dev.orchestrator.RunStatus;
import dev.orchestrator.jdbc.JdbcStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pages in a real headless Chromium, against a SQLite store with one failed run whose failed
 * task printed {@code <script>alert(1)</script>}. Under {@code CI=true} a missing chromium fails
 * these tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    private DashboardFixture fx;
    private Chromium browser;

    @BeforeAll
    void start() throws Exception {
        browser = Chromium.launch();
        fx = new DashboardFixture(JdbcStore.sqlite(dir.resolve("browser.db")), dir, b -> b);
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (fx != null) {
            fx.close();
        }
    }

    private long failedRun() {
        return fx.failedRun.id();
    }

    @Test
    void opensTheRunsList() throws Exception {
        browser.open(fx.dashboard.url().resolve("/#/runs"));

        Object status = browser.waitFor("document.querySelector('#runs tr[data-run-id=\"" + failedRun()
                + "\"] [data-status]')?.textContent", WAIT);

        assertThat(status).isEqualTo("FAILED");
        assertThat(browser.eval("document.querySelector('header nav a.active').textContent")).isEqualTo("Runs");
    }

    @Test
    void followsARunToItsFailedTaskAndReadsItsOutputTailAsText() throws Exception {
        browser.open(fx.dashboard.url().resolve("/#/runs"));
        browser.waitFor("document.querySelector('#runs a[href=\"#/runs/" + failedRun() + "\"]')", WAIT);
        browser.eval("document.querySelector('#runs a[href=\"#/runs/" + failedRun() + "\"]').click()");

        browser.waitFor("document.querySelector('#tasks tr[data-task-status=FAILED] a.task-link')", WAIT);
        assertThat(browser.eval("document.querySelector('#steps tr[data-step=load] [data-status]').textContent"))
                .isEqualTo("FAILED");
        assertThat(browser.eval("document.querySelectorAll('svg.dag g[data-step]').length")).isEqualTo(2.0);
        // the bars are drawn (the page's CSP forbids inline styles: widths must go through the CSSOM)
        assertThat(browser.eval("document.querySelector('#steps tr[data-step=extract] .bar .ok').getBoundingClientRect().width"))
                .isEqualTo(browser.eval("document.querySelector('#steps tr[data-step=extract] .bar').getBoundingClientRect().width"));
        assertThat(browser.eval("document.querySelector('#steps tr[data-step=load] .bar .fail').getBoundingClientRect().width > 0"))
                .isEqualTo(true);
        browser.eval("document.querySelector('#tasks tr[data-task-status=FAILED] a.task-link').click()");

        Object tail = browser.waitFor("document.querySelector('pre.output-tail')?.textContent", WAIT);
        assertThat((String) tail).contains("loading").contains(DashboardFixture.SCRIPT);
        assertThat(browser.eval("document.querySelector('.attempt .exit-code').textContent")).isEqualTo("3");
        assertThat(browser.eval("location.hash")).asString().matches("#/runs/" + failedRun() + "/tasks/\\d+");
        // shown as text: no element was made of it, no dialog opened
        assertThat(browser.eval("document.querySelectorAll('pre.output-tail *, main script').length")).isEqualTo(0.0);
        assertThat(browser.eval("document.querySelector('pre.output-tail').innerHTML")).asString()
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(browser.events).doesNotContain("Page.javascriptDialogOpening");
        assertThat(browser.eval("document.querySelector('a[href$=\"/log\"]').textContent")).isEqualTo("open log");
    }

    @Test
    void anUnknownRunSaysSoOnThePage() throws Exception {
        browser.open(fx.dashboard.url().resolve("/#/runs/987654"));

        Object error = browser.waitFor("!document.getElementById('error').hidden"
                + " && document.getElementById('error').textContent.includes('987654')"
                + " && document.getElementById('error').textContent", WAIT);

        assertThat((String) error).isEqualTo("404: run 987654 does not exist");
    }

    @Test
    void cancelsARunningRunFromThePage() throws Exception {
        long runId = fx.orchestrator.trigger("sleepy").id();
        browser.open(fx.dashboard.url().resolve("/#/runs/" + runId));
        browser.waitFor("document.querySelector('#run-status [data-status=RUNNING]')", Duration.ofSeconds(30));

        browser.eval("window.confirm = () => true; document.querySelector('button[data-action=cancel-run]').click()");

        browser.waitFor("document.querySelector('#run-status [data-status=CANCELLED]')", Duration.ofSeconds(30));
        assertThat(fx.orchestrator.run(runId).orElseThrow().await(Duration.ofSeconds(30)).status())
                .isEqualTo(RunStatus.CANCELLED);
    }
}
