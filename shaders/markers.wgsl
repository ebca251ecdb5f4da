// Point markers drawn as signed-distance shapes: series sample markers (so series differ by
// shape as well as colour), the moving "head" of each series at the playhead, and the event
// markers on the time axis (shape and colour by event kind).

struct MarkerIn {
    @location(0) position: vec2<f32>,   // px (ignored for heads)
    @location(1) radius: f32,           // px
    @location(2) shape: u32,            // 0 circle, 1 square, 2 diamond, 3 triangle, 4 triangle down, 5 hexagon
    @location(3) color: vec4<f32>,
    @location(4) time: f32,             // for replay ghosting
    @location(5) head: i32,             // >= 0: follow frame.heads[head]
    @location(6) hollow: f32,           // 1: outline only
};

struct VertexOutput {
    @builtin(position) position: vec4<f32>,
    @location(0) local: vec2<f32>,      // px from the centre
    @location(1) @interpolate(flat) radius: f32,
    @location(2) @interpolate(flat) shape: u32,
    @location(3) color: vec4<f32>,
    @location(4) @interpolate(flat) hollow: f32,
};

@vertex
fn vs_main(@builtin(vertex_index) vertex: u32, marker: MarkerIn) -> VertexOutput {
    var out: VertexOutput;
    var center = marker.position;
    var strength = replay_strength(marker.time);
    if (marker.head >= 0) {
        let head = frame.heads[u32(marker.head)];
        center = head.xy;
        strength = head.z;
    }
    let extent = marker.radius + 2.0;
    let corner = vec2<f32>(select(-1.0, 1.0, (vertex & 1u) == 1u), select(-1.0, 1.0, (vertex & 2u) == 2u));
    var pixel = center + corner * extent;
    if (strength <= 0.0) {
        pixel = center;  // hidden: degenerate quad
    }
    out.position = to_clip(pixel);
    out.local = corner * extent;
    out.radius = marker.radius;
    out.shape = marker.shape;
    out.color = vec4<f32>(marker.color.rgb, marker.color.a * strength);
    out.hollow = marker.hollow;
    return out;
}

fn sd_shape(p: vec2<f32>, r: f32, shape: u32) -> f32 {
    switch shape {
        case 1u: {  // square
            let q = abs(p) - vec2<f32>(r * 0.82);
            return length(max(q, vec2<f32>(0.0))) + min(max(q.x, q.y), 0.0);
        }
        case 2u: {  // diamond
            return (abs(p.x) + abs(p.y) - r * 1.15) * 0.7071;
        }
        case 3u, 4u: {  // triangle up / down
            var q = p;
            if (shape == 4u) {
                q.y = -q.y;
            }
            let k = sqrt(3.0);
            let s = r * 1.1;
            q.x = abs(q.x) - s;
            q.y = -q.y + s / k;
            if (q.x + k * q.y > 0.0) {
                q = vec2<f32>(q.x - k * q.y, -k * q.x - q.y) / 2.0;
            }
            q.x -= clamp(q.x, -2.0 * s, 0.0);
            return -length(q) * sign(q.y);
        }
        case 5u: {  // hexagon
            let k = vec3<f32>(-0.866025404, 0.5, 0.577350269);
            var q = abs(p);
            q -= 2.0 * min(dot(k.xy, q), 0.0) * k.xy;
            q -= vec2<f32>(clamp(q.x, -k.z * r, k.z * r), r);
            return length(q) * sign(q.y);
        }
        default: {  // circle
            return length(p) - r;
        }
    }
}

@fragment
fn fs_main(in: VertexOutput) -> @location(0) vec4<f32> {
    let d = sd_shape(in.local, in.radius, in.shape);
    let fill = clamp(0.5 - d, 0.0, 1.0);
    // A dark rim keeps markers readable where they cross lines of the same colour.
    let rim = clamp(0.5 - (d - 1.2), 0.0, 1.0) - fill;
    var color = in.color.rgb;
    var alpha = in.color.a * fill;
    if (in.hollow > 0.5) {
        let ring = clamp(0.5 - abs(d + 0.9) + 0.9, 0.0, 1.0);
        alpha = in.color.a * ring;
    }
    let rim_alpha = rim * 0.85 * in.color.a;
    let total = alpha + rim_alpha * (1.0 - alpha);
    if (total <= 0.001) {
        discard;
    }
    color = color * alpha / total + chart.background.rgb * rim_alpha * (1.0 - alpha) / total;
    return output(vec4<f32>(color, total));
}
