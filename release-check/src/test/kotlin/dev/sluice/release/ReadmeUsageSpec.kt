package dev.sluice.release

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import org.w3c.dom.Element
import java.io.File
import javax.xml.parsers.DocumentBuilderFactory

/** The fenced blocks with [language] in the README's "Using Sluice" section. */
private fun usingSluiceBlocks(language: String): List<String> {
    val section =
        File(projectRoot, "README.md")
            .readText()
            .substringAfter("## Using Sluice\n", missingDelimiterValue = "")
            .substringBefore("\n## ")
    return Regex("```$language\\n(.*?)```", RegexOption.DOT_MATCHES_ALL).findAll(section).map { it.groupValues[1] }.toList()
}

/** Each dependency under [parent]/dependencies as "groupId:artifactId:type:scope:version". */
private fun coordinates(
    parent: Element?,
    version: (Element) -> String?,
): List<String> =
    parent
        ?.children("dependencies")
        ?.flatMap { it.children("dependency") }
        ?.map { d -> listOf(d.text("groupId"), d.text("artifactId"), d.text("type"), d.text("scope"), version(d)).joinToString(":") }
        .orEmpty()

class ReadmeUsageSpec :
    FunSpec({
        // The version a user writes: the release this snapshot becomes.
        val release = sluiceVersion.removeSuffix("-SNAPSHOT")

        test("the README's Maven lines are the ones the consumer build proves, with the release version") {
            val block = usingSluiceBlocks("xml").single()
            val readme =
                DocumentBuilderFactory
                    .newInstance()
                    .newDocumentBuilder()
                    .parse("<project>$block</project>".byteInputStream())
                    .documentElement
            val consumer = parseXml(File("consumer/pom.xml")).documentElement
            val readmeManaged = coordinates(readme.children("dependencyManagement").singleOrNull()) { it.text("version") }
            readmeManaged shouldBe listOf("dev.sluice:sluice-bom:pom:import:$release")
            coordinates(consumer.children("dependencyManagement").singleOrNull()) {
                it.text("version")?.replace("\${sluice.version}", release)
            } shouldBe
                readmeManaged
            coordinates(readme) { it.text("version") } shouldBe coordinates(consumer) { it.text("version") }
            coordinates(readme) { it.text("version") } shouldBe
                listOf("dev.sluice:buffer-core:null:null:null", "dev.sluice:audio-streamer:null:null:null")
        }

        test("the README's Gradle lines name the same BOM and modules") {
            val block = usingSluiceBlocks("kts").single()
            block shouldContain "implementation(platform(\"dev.sluice:sluice-bom:$release\"))"
            block shouldContain "implementation(\"dev.sluice:buffer-core\")"
            block shouldContain "implementation(\"dev.sluice:audio-streamer\")"
        }
    })
