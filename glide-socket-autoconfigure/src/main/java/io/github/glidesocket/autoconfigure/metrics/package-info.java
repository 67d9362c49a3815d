/**
 * Auto-configuration of glide-socket metrics.
 */
@NullMarked
package io.github.glidesocket.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
