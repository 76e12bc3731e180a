// Dear ImGui's vertices (src/platform/ui_renderer.cpp): a position in
// pixels, a texture coordinate and an 8-bit RGBA colour (normalised by the
// vertex attribute); u_projection maps the display rectangle to clip space.
uniform mat4 u_projection;

layout(location = 0) in vec2 a_position;
layout(location = 1) in vec2 a_uv;
layout(location = 2) in vec4 a_colour;

out vec2 v_uv;
out vec4 v_colour;

void main() {
  v_uv = a_uv;
  v_colour = a_colour;
  gl_Position = u_projection * vec4(a_position, 0.0, 1.0);
}
