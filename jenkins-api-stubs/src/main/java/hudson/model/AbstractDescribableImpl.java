package hudson.model;

public abstract class AbstractDescribableImpl<T extends AbstractDescribableImpl<T>> implements Describable<T> {
    public AbstractDescribableImpl() {
        // empty, as the implicit default constructor in Jenkins: lets unit tests construct subclasses
    }
}
