package dev.sluice.release

import org.w3c.dom.Document
import org.w3c.dom.Element
import java.io.File
import java.security.MessageDigest
import java.util.jar.JarFile
import javax.xml.parsers.DocumentBuilderFactory

/** The repository root: release-check's parent directory. */
internal val projectRoot: File = File(System.getProperty("user.dir")).absoluteFile.parentFile

/** The staged repository that verify deployed into (see sluice.staging.dir in the parent POM). */
internal val stagingDir: File =
    File(System.getProperty("sluice.staging.dir") ?: error("sluice.staging.dir is not set: run through Maven"))

/** The version being released. */
internal val sluiceVersion: String = System.getProperty("sluice.version") ?: error("sluice.version is not set: run through Maven")

/** Parses an XML file without network access. */
internal fun parseXml(file: File): Document =
    DocumentBuilderFactory
        .newInstance()
        .apply { isNamespaceAware = false }
        .newDocumentBuilder()
        .parse(file)

/** The direct children of this element with [name]. */
internal fun Element.children(name: String): List<Element> {
    val nodes = childNodes
    return (0 until nodes.length).map { nodes.item(it) }.filterIsInstance<Element>().filter { it.tagName == name }
}

/** The text of the child at [path] (slash-separated), or null when it is missing. */
internal fun Element.text(path: String): String? {
    var element: Element = this
    for (part in path.split('/')) element = element.children(part).firstOrNull() ?: return null
    return element.textContent.trim()
}

/** The lowercase hex SHA-1 of a file. */
internal fun sha1(file: File): String = MessageDigest.getInstance("SHA-1").digest(file.readBytes()).joinToString("") { "%02x".format(it) }

/** The entries of a jar file. */
internal fun jarEntries(file: File): List<String> = JarFile(file).use { jar -> jar.entries().toList().map { it.name } }

/** One artifact (groupId dev.sluice) in the staged repository. */
internal class StagedArtifact(
    val artifactId: String,
) {
    /** The artifact's version directory. */
    val dir: File = File(stagingDir, "dev/sluice/$artifactId/$sluiceVersion")

    /**
     * The staged file with [extension] and [classifier]. A snapshot's files carry a timestamp, which
     * the version's maven-metadata.xml names; a release's carry the version itself.
     */
    fun file(
        extension: String,
        classifier: String = "",
    ): File {
        val version =
            if (!sluiceVersion.endsWith("-SNAPSHOT")) {
                sluiceVersion
            } else {
                val metadata = File(dir, "maven-metadata.xml")
                check(metadata.isFile) { "$artifactId: no $metadata" }
                parseXml(metadata)
                    .documentElement
                    .children("versioning")
                    .flatMap { it.children("snapshotVersions") }
                    .flatMap { it.children("snapshotVersion") }
                    .firstOrNull { (it.text("classifier") ?: "") == classifier && it.text("extension") == extension }
                    ?.text("value")
                    ?: error("$artifactId: maven-metadata.xml lists no $classifier.$extension")
            }
        val suffix = if (classifier.isEmpty()) "" else "-$classifier"
        return File(dir, "$artifactId-$version$suffix.$extension")
    }

    /** The staged POM, parsed. */
    fun pom(): Element = parseXml(file("pom")).documentElement
}
