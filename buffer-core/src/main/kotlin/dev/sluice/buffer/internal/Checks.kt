package dev.sluice.buffer.internal

internal fun requirePositive(
    name: String,
    value: Int,
) {
    require(value >= 1) { "$name must be >= 1, was $value" }
}

internal fun requireNonNegative(
    name: String,
    value: Int,
) {
    require(value >= 0) { "$name must be >= 0, was $value" }
}
