// Colour maps for float images: activation maps, filters, saliency. The value
// texture holds raw floats (R32F, or RGB32F for colour filters); u_range maps
// [lo, hi] onto the colour map, clamping outside it.
//   u_map 0  viridis     sequential, for activations (dark = low, yellow = high)
//   u_map 1  diverging   blue - white - red, for signed values (weights,
//                        saliency); the caller centres the range on zero
//   u_map 2  rgb         each of three channels scaled to 0..1 (RGB filters)
//   u_map 3  grey        the input image
//   u_map 4  heat        black - red - yellow - white, with alpha rising with
//                        the value: drawn over the grey input (saliency overlay)
uniform highp sampler2D u_values;
uniform int u_map;
uniform vec2 u_range;  // lo, hi

in vec2 v_uv;
out vec4 frag_colour;

// Polynomial fit of matplotlib's viridis (Matt Zucker, CC0), max error ~1/255.
vec3 viridis(float t) {
  const vec3 c0 = vec3(0.2777273272234177, 0.005407344544966578, 0.3340998053353061);
  const vec3 c1 = vec3(0.1050930431085774, 1.404613529898575, 1.384590162594685);
  const vec3 c2 = vec3(-0.3308618287255563, 0.214847559468213, 0.09509516302823659);
  const vec3 c3 = vec3(-4.634230498983486, -5.799100973351585, -19.33244095627987);
  const vec3 c4 = vec3(6.228269936347081, 14.17993336680509, 56.69055260068105);
  const vec3 c5 = vec3(4.776384997670288, -13.74514537774601, -65.35303263337234);
  const vec3 c6 = vec3(-5.435455855934631, 4.645852612178535, 26.3124352495832);
  return c0 + t * (c1 + t * (c2 + t * (c3 + t * (c4 + t * (c5 + t * c6)))));
}

// Blue (low) through near-white (the middle) to red (high), as in RdBu.
vec3 diverging(float t) {
  const vec3 blue = vec3(0.13, 0.40, 0.67);
  const vec3 white = vec3(0.97, 0.97, 0.97);
  const vec3 red = vec3(0.70, 0.09, 0.17);
  return t < 0.5 ? mix(blue, white, t * 2.0) : mix(white, red, t * 2.0 - 1.0);
}

vec3 heat(float t) {
  return clamp(vec3(3.0 * t, 3.0 * t - 1.0, 3.0 * t - 2.0), 0.0, 1.0);
}

void main() {
  vec4 v = texture(u_values, v_uv);
  float span = u_range.y - u_range.x;  // the caller keeps it > 0
  vec3 t3 = clamp((v.rgb - u_range.x) / max(span, 1e-30), 0.0, 1.0);
  float t = t3.r;
  if (u_map == 0) {
    frag_colour = vec4(viridis(t), 1.0);
  } else if (u_map == 1) {
    frag_colour = vec4(diverging(t), 1.0);
  } else if (u_map == 2) {
    frag_colour = vec4(t3, 1.0);
  } else if (u_map == 3) {
    frag_colour = vec4(vec3(t), 1.0);
  } else {
    frag_colour = vec4(heat(t), clamp(1.5 * t, 0.0, 0.9));
  }
}
