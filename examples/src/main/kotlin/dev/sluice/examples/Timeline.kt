package dev.sluice.examples

import org.knowm.xchart.BitmapEncoder
import org.knowm.xchart.XYChartBuilder
import org.knowm.xchart.XYSeries
import org.knowm.xchart.style.Styler
import org.knowm.xchart.style.markers.SeriesMarkers
import java.io.File

/**
 * Draws each chunk's headroom, its playback deadline minus its arrival, per sample: one series and
 * one colour per sample, so no sample hides another's deadline line and 8 samples stay readable.
 * The zero line is the deadline; a chunk below it arrived late (an underrun) and gets a red cross.
 * With VAD, each sample's speech probability per window is drawn against a second axis.
 */
internal object Timeline {
    fun write(
        reports: List<SampleReport>,
        file: File,
    ) {
        val chart =
            XYChartBuilder()
                .width(960)
                .height(540)
                .title("Headroom of each chunk: playback deadline minus arrival (below 0: underrun)")
                .xAxisTitle("audio position of the chunk (s)")
                .yAxisTitle("headroom (ms)")
                .build()
        chart.styler.isLegendVisible = true
        val all = reports.flatMap { it.timings }
        if (all.isNotEmpty()) {
            val span = listOf(all.minOf { it.audioStart }, all.maxOf { it.audioStart })
            chart.addSeries("deadline", span, listOf(0.0, 0.0)).apply {
                xySeriesRenderStyle = XYSeries.XYSeriesRenderStyle.Line
                marker = SeriesMarkers.NONE
                lineColor = java.awt.Color.DARK_GRAY
            }
        }
        val late = mutableListOf<ChunkTiming>()
        for (r in reports) {
            val t = r.timings.ifEmpty { continue }
            chart.addSeries("sample ${r.index}", t.map { it.audioStart }, t.map { headroom(it) }).apply {
                xySeriesRenderStyle = XYSeries.XYSeriesRenderStyle.Line
                marker = SeriesMarkers.CIRCLE
            }
            late += t.filter { it.arrival > it.deadline }
        }
        if (late.isNotEmpty()) {
            chart.addSeries("underrun", late.map { it.audioStart }, late.map { headroom(it) }).apply {
                xySeriesRenderStyle = XYSeries.XYSeriesRenderStyle.Scatter
                marker = SeriesMarkers.CROSS
                markerColor = java.awt.Color.RED
            }
        }
        // With --vad: each sample's speech probability per window, on a second axis at the right.
        for (r in reports) {
            val vad = r.vad ?: continue
            if (vad.live.isEmpty()) continue
            chart
                .addSeries(
                    "speech probability ${r.index}",
                    vad.live.indices.map { vad.seconds(it) },
                    vad.live.map { it.toDouble() },
                ).apply {
                    xySeriesRenderStyle = XYSeries.XYSeriesRenderStyle.Step
                    marker = SeriesMarkers.NONE
                    yAxisGroup = 1
                }
        }
        if (reports.any { it.vad != null }) {
            chart.setYAxisGroupTitle(1, "speech probability (Silero VAD)")
            chart.styler.setYAxisGroupPosition(1, Styler.YAxisPosition.Right)
            chart.styler.setYAxisMin(1, 0.0)
            chart.styler.setYAxisMax(1, 1.0)
        }
        BitmapEncoder.saveBitmap(chart, file.path.removeSuffix(".png"), BitmapEncoder.BitmapFormat.PNG)
    }

    private fun headroom(t: ChunkTiming): Double = (t.deadline - t.arrival) * 1000
}
