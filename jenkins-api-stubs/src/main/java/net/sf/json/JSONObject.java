package net.sf.json;

public final class JSONObject {
    public JSONObject() {
        throw new UnsupportedOperationException("stand-in");
    }

    public String getString(String key) {
        throw new UnsupportedOperationException("stand-in");
    }

    public String optString(String key) {
        throw new UnsupportedOperationException("stand-in");
    }
}
