package dev.sluice.examples

import org.knowm.xchart.BitmapEncoder
import org.knowm.xchart.XYChartBuilder
import org.knowm.xchart.XYSeries
import org.knowm.xchart.style.markers.SeriesMarkers
import java.io.File

/** Draws each chunk's arrival against its playback deadline, per sample; underruns are the red marks. */
internal object Timeline {
    fun write(
        reports: List<SampleReport>,
        file: File,
    ) {
        val chart =
            XYChartBuilder()
                .width(960)
                .height(540)
                .title("Chunk arrival vs playback deadline")
                .xAxisTitle("audio position of the chunk (s)")
                .yAxisTitle("wall time since start (s)")
                .build()
        chart.styler.isLegendVisible = true
        for (r in reports) {
            val t = r.timings.ifEmpty { continue }
            val x = t.map { it.audioStart }
            chart.addSeries("sample ${r.index} deadline", x, t.map { it.deadline }).apply {
                xySeriesRenderStyle = XYSeries.XYSeriesRenderStyle.Line
                marker = SeriesMarkers.NONE
            }
            chart.addSeries("sample ${r.index} arrival", x, t.map { it.arrival }).apply {
                xySeriesRenderStyle = XYSeries.XYSeriesRenderStyle.Scatter
            }
            val late = t.filter { it.arrival > it.deadline }
            if (late.isNotEmpty()) {
                chart.addSeries("sample ${r.index} underrun", late.map { it.audioStart }, late.map { it.arrival }).apply {
                    xySeriesRenderStyle = XYSeries.XYSeriesRenderStyle.Scatter
                    marker = SeriesMarkers.CROSS
                    markerColor = java.awt.Color.RED
                }
            }
        }
        BitmapEncoder.saveBitmap(chart, file.path.removeSuffix(".png"), BitmapEncoder.BitmapFormat.PNG)
    }
}
