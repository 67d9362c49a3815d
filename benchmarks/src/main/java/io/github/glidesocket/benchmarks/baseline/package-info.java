/**
 * A Java model of the seed's original registry design, kept as a baseline to measure against.
 */
@NullMarked
package io.github.glidesocket.benchmarks.baseline;

import org.jspecify.annotations.NullMarked;
