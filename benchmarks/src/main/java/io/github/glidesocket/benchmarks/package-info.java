/**
 * JMH benchmarks that run each registry design through the same workload, so that the numbers
 * of the seed's design and of ours can be compared line by line.
 */
@NullMarked
package io.github.glidesocket.benchmarks;

import org.jspecify.annotations.NullMarked;
