package dev.sluice.buffer

import io.kotest.core.spec.style.FunSpec
import java.io.File

/** One diagram row group: a policy run over a stream, with its caption. */
private class Case(
    val caption: String,
    val policy: ChunkPolicy,
    val n: Int,
    val eager: Boolean,
)

private val cases =
    listOf(
        Case("FixedChunkPolicy(4), 10 items", FixedChunkPolicy(4), 10, eager = false),
        Case("FixedChunkPolicy(4), 8 items, last chunk popped before done", FixedChunkPolicy(4), 8, eager = true),
        Case("LeftContextChunkPolicy(chunk = 4, leftContext = 2), 10 items", LeftContextChunkPolicy(4, 2), 10, eager = false),
        Case("LeftContextChunkPolicy(chunk = 2, leftContext = 3), 7 items", LeftContextChunkPolicy(2, 3), 7, eager = false),
        Case("SlidingWindowChunkPolicy(window = 4, stride = 2), 9 items", SlidingWindowChunkPolicy(4, 2), 9, eager = false),
        Case("RampChunkPolicy(sizes = [1, 2, 4], leftContext = 1), 10 items", RampChunkPolicy(listOf(1, 2, 4), 1), 10, eager = false),
    )

private const val CELL = 26
private const val LEFT = 90
private const val ROW = 30

/** Renders which items every chunk holds, context and new, from real [StreamBuffer] runs. */
fun renderPolicyDiagram(): String {
    val out = StringBuilder()
    var y = 20
    val body = StringBuilder()
    for (case in cases) {
        body.append("""  <text x="10" y="${y + 14}" class="caption">${case.caption}</text>""").append('\n')
        y += 24
        for (c in runStream(case.policy, case.n, case.eager)) {
            val label = "chunk ${c.index}" + if (c.isFinal) " (final)" else ""
            body.append("""  <text x="10" y="${y + 17}" class="label">$label</text>""").append('\n')
            if (c.items.isEmpty()) {
                val x = LEFT + 40 + (c.startOffset.toInt() * CELL)
                body.append("""  <rect x="$x" y="${y + 2}" width="${CELL - 4}" height="${CELL - 4}" class="end"/>""").append('\n')
                body
                    .append(
                        """  <text x="${x + 28}" y="${y + 17}" class="label">empty final chunk at offset ${c.startOffset}</text>""",
                    ).append('\n')
            }
            c.items.forEachIndexed { k, item ->
                val x = LEFT + 40 + item * CELL
                val kind = if (k < c.contextSize) "context" else "new"
                body.append("""  <rect x="$x" y="${y + 2}" width="${CELL - 2}" height="${CELL - 2}" class="$kind"/>""").append('\n')
                body.append("""  <text x="${x + CELL / 2 - 1}" y="${y + 18}" class="item">$item</text>""").append('\n')
            }
            y += ROW
        }
        y += 12
    }
    val height = y + 40
    val legendY = y + 6
    out
        .append(
            """<svg xmlns="http://www.w3.org/2000/svg" width="760" height="$height" viewBox="0 0 760 $height">""",
        ).append('\n')
    out
        .append(
            """  <style>
    .caption { font: bold 14px sans-serif; fill: #222; }
    .label { font: 12px sans-serif; fill: #444; }
    .item { font: 12px monospace; fill: #fff; text-anchor: middle; }
    .new { fill: #2b7bb9; }
    .context { fill: #9cc3e0; }
    .end { fill: none; stroke: #c0392b; stroke-width: 2; }
  </style>""",
        ).append('\n')
    out.append("""  <rect width="760" height="$height" fill="#fff"/>""").append('\n')
    out.append(body)
    out.append("""  <rect x="10" y="$legendY" width="18" height="18" class="new"/>""").append('\n')
    out.append("""  <text x="34" y="${legendY + 14}" class="label">new items (delivered for the first time)</text>""").append('\n')
    out.append("""  <rect x="300" y="$legendY" width="18" height="18" class="context"/>""").append('\n')
    out.append("""  <text x="324" y="${legendY + 14}" class="label">context (repeated from earlier chunks)</text>""").append('\n')
    out.append("</svg>\n")
    return out.toString()
}

class PolicyDiagramSpec :
    FunSpec({
        test("docs/policies.svg is what the policies really do (update with -Ddocs.update=true)") {
            val svg = renderPolicyDiagram()
            val file = File("../docs/policies.svg")
            if (System.getProperty("docs.update") == "true") {
                file.parentFile.mkdirs()
                file.writeText(svg)
            }
            check(file.exists()) { "docs/policies.svg is missing: run mvn verify -Ddocs.update=true and commit it" }
            if (file.readText() != svg) {
                throw AssertionError(
                    "docs/policies.svg no longer matches the policies. Run mvn verify -Ddocs.update=true and commit it.\n" +
                        lineDiff(file.readText().lines(), svg.lines()),
                )
            }
        }
    })
