/**
 * Actuator endpoint of glide-socket sockets. Configures nothing by itself.
 */
@NullMarked
package io.github.glidesocket.actuate;

import org.jspecify.annotations.NullMarked;
