package dev.sluice.ktor

import io.kotest.core.spec.style.FunSpec
import io.kotest.core.test.Enabled
import io.kotest.matchers.shouldBe
import org.openqa.selenium.By
import org.openqa.selenium.OutputType
import org.openqa.selenium.chrome.ChromeDriver
import org.openqa.selenium.chrome.ChromeDriverService
import org.openqa.selenium.chrome.ChromeOptions
import java.io.File
import java.util.concurrent.TimeUnit

/** Debian's Chromium and its driver; Selenium Manager cannot download drivers here. */
private val chromium = listOf("/usr/bin/chromium", "/usr/bin/chromium-browser").map(::File).firstOrNull { it.canExecute() }
private val chromedriver = listOf("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver").map(::File).firstOrNull { it.canExecute() }
private val onCi = System.getenv("CI") == "true"
private const val MISSING = "Chromium is not installed: apt-get install chromium chromium-driver (.ci/run installs them)"

/** Skipped with a reason off CI when the browser is missing; on CI the test runs, and fails without it. */
private val browser: (io.kotest.core.test.TestCase) -> Enabled = {
    if (chromium == null || chromedriver == null) {
        if (onCi) Enabled.enabled else Enabled.disabled(MISSING)
    } else {
        Enabled.enabled
    }
}

/** Headless Chromium with audio allowed to start without a gesture. */
private fun chrome(): ChromeDriver {
    check(chromium != null && chromedriver != null) { MISSING }
    val options =
        ChromeOptions()
            .setBinary(chromium)
            .addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--autoplay-policy=no-user-gesture-required",
                "--window-size=1100,900",
            )
    val service = ChromeDriverService.Builder().usingDriverExecutable(chromedriver).build()
    return ChromeDriver(service, options)
}

/** The page's window.sluice, read as a map. */
@Suppress("UNCHECKED_CAST")
private fun ChromeDriver.stats(): Map<String, Any?> = (executeScript("return window.sluice || {}") as Map<String, Any?>)

private fun ChromeDriver.waitFor(
    what: String,
    seconds: Long = 30,
    condition: (Map<String, Any?>) -> Boolean,
): Map<String, Any?> {
    val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds)
    while (true) {
        val stats = stats()
        if (condition(stats)) return stats
        check(System.nanoTime() < deadline) { "the page never reached '$what': $stats" }
        Thread.sleep(50)
    }
}

class BrowserSpec :
    FunSpec({
        test(
            "real Chromium plays the stream: the PCM it received equals what the server streamed, TTFA is reported, cancel stops the producer",
        ).config(enabledOrReasonIf = browser) {
            val text = "Hello from Sluice, streaming speech to a browser over a WebSocket."
            val audio = synthetic(text)
            var firstPutNanos = 0L
            var requestNanos = 0L
            val endless = Endless()
            // Twice real time, in bursts of 100 ms; "forever" runs the endless producer.
            val generator =
                SpeechGenerator { request, streamer ->
                    if (request.text == "forever") return@SpeechGenerator endless.generate(request, streamer)
                    requestNanos = System.nanoTime()
                    var at = 0
                    while (at < audio.size && !streamer.isCancelled(0)) {
                        val end = minOf(audio.size, at + 2_400)
                        streamer.put(audio.copyOfRange(at, end), 0)
                        if (at == 0) firstPutNanos = System.nanoTime()
                        at = end
                        Thread.sleep(50)
                    }
                }
            TestServer(generator = generator).use { server ->
                val driver = chrome()
                try {
                    driver.get("http://127.0.0.1:${server.port}/")
                    val box = driver.findElement(By.id("text"))
                    box.clear()
                    box.sendKeys(text)
                    driver.findElement(By.id("speak")).click()
                    val done = driver.waitFor("ended and drained") { it["state"] == "ended" && it["drained"] == true }

                    (done["samples"] as Number).toLong() shouldBe audio.size.toLong()
                    (done["hash"] as Number).toLong() shouldBe fnv1a(s16le(audio))
                    val ttfa = (done["ttfaMs"] as Number).toDouble()
                    check(ttfa > 0 && ttfa < 5_000) { "time to first audio $ttfa ms" }
                    val serverFirst = (firstPutNanos - requestNanos) / 1e6
                    println(
                        "browser: time to first audio ${"%.0f".format(ttfa)} ms from the click; the server's first chunk " +
                            "came ${"%.1f".format(serverFirst)} ms after the request; underruns ${done["underruns"]}",
                    )
                    val shot = driver.getScreenshotAs(OutputType.FILE)
                    shot.copyTo(File("target/browser-player.png"), overwrite = true)
                    if (System.getProperty("docs.update") == "true") shot.copyTo(File("../docs/browser-player.png"), overwrite = true)

                    // Cancel: the endless producer stops, and the page says so.
                    box.clear()
                    box.sendKeys("forever")
                    driver.findElement(By.id("speak")).click()
                    driver.waitFor("streaming") { (it["frames"] as? Number)?.toLong() ?: 0 >= 10 }
                    driver.findElement(By.id("cancel")).click()
                    endless.stopped.await(10, TimeUnit.SECONDS) shouldBe true
                    driver.waitFor("cancelled") { it["state"] == "cancelled" }
                } finally {
                    driver.quit()
                }
            }
        }
    })
