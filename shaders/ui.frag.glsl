// Dear ImGui's pixels: the vertex colour times the texture (the font atlas,
// or an image the app drew, e.g. a colour-mapped activation map).
uniform sampler2D u_texture;

in vec2 v_uv;
in vec4 v_colour;

out vec4 o_colour;

void main() {
  o_colour = v_colour * texture(u_texture, v_uv);
}
