// The vertex shader of every colour-mapped image: one quad covering the
// viewport (the tile being drawn), built from gl_VertexID so no vertex
// buffer is needed, with texture coordinates spanning the tile's rectangle
// of the value texture. Drawn as a 4-vertex triangle strip.
uniform vec4 u_source;  // the tile in the value texture: x0, y0, x1, y1 in 0..1

out vec2 v_uv;

void main() {
  // Strip order (0,0), (1,0), (0,1), (1,1).
  vec2 corner = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1));
  v_uv = mix(u_source.xy, u_source.zw, corner);
  gl_Position = vec4(corner * 2.0 - 1.0, 0.0, 1.0);
}
