/**
 * Auto-configuration of the glide-socket actuator endpoint.
 */
@NullMarked
package io.github.glidesocket.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
