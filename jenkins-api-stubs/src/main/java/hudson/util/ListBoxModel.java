package hudson.util;

import java.util.ArrayList;

public class ListBoxModel extends ArrayList<ListBoxModel.Option> {
    private static final long serialVersionUID = 1L;

    public ListBoxModel() {
        throw new UnsupportedOperationException("stand-in");
    }

    public ListBoxModel(Option... data) {
        throw new UnsupportedOperationException("stand-in");
    }

    public void add(String displayName, String value) {
        throw new UnsupportedOperationException("stand-in");
    }

    public ListBoxModel add(String nameAndValue) {
        throw new UnsupportedOperationException("stand-in");
    }

    public static final class Option {
        public String name;
        public String value;
        public boolean selected;

        public Option(String name, String value) {
            throw new UnsupportedOperationException("stand-in");
        }

        public Option(String name, String value, boolean selected) {
            throw new UnsupportedOperationException("stand-in");
        }
    }
}
