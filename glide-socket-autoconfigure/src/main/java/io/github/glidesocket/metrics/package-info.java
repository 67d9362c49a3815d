/**
 * Micrometer meters of glide-socket sockets. Configures nothing by itself.
 */
@NullMarked
package io.github.glidesocket.metrics;

import org.jspecify.annotations.NullMarked;
