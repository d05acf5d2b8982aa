package dev.memgate.contract;

import io.vertx.core.json.JsonArray;

/** Vectors travel on the bus as JSON arrays of numbers (no local-only codecs, so the bus can be clustered). */
public final class Vectors {
  private Vectors() {
  }

  public static JsonArray toJson(float[] vector) {
    JsonArray json = new JsonArray();
    for (float v : vector) {
      json.add(v);
    }
    return json;
  }

  public static float[] fromJson(JsonArray json) {
    float[] vector = new float[json.size()];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = ((Number) json.getValue(i)).floatValue();
    }
    return vector;
  }

  /** Scales a vector to unit length in place (a zero vector stays zero) and returns it. */
  public static float[] normalize(float[] vector) {
    double sum = 0;
    for (float v : vector) {
      sum += (double) v * v;
    }
    if (sum > 0) {
      float inverse = (float) (1.0 / Math.sqrt(sum));
      for (int i = 0; i < vector.length; i++) {
        vector[i] *= inverse;
      }
    }
    return vector;
  }
}
