/**
 * Health indicator of glide-socket sockets. Configures nothing by itself.
 */
@NullMarked
package io.github.glidesocket.health;

import org.jspecify.annotations.NullMarked;
