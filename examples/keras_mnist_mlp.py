"""The course notes' Keras MNIST program, with only its imports changed to numnet.

Run: NUMNET_DATA=../shared/datasets python examples/keras_mnist_mlp.py
(kept verbatim, so ruff leaves this file alone: see pyproject.toml)
"""
from numnet.datasets import mnist
from numnet.models import Sequential
from numnet.layers import Dense, Dropout, Activation, BatchNormalization
from numnet import utils, regularizers

nb_classes = 10
(X_train, y_train), (X_test, y_test) = mnist.load_data()
X_train = X_train.reshape(60000, 784); X_test = X_test.reshape(10000, 784)
X_train = X_train.astype('float32'); X_test = X_test.astype('float32')
X_train /= 255; X_test /= 255
Y_train = utils.to_categorical(y_train, nb_classes); Y_test = utils.to_categorical(y_test, nb_classes)
model = Sequential()
model.add(Dense(512, input_shape=(784,)))
model.add(Activation('relu'))
model.add(Dropout(0.2))
model.add(Dense(512, kernel_regularizer=regularizers.l2(0.001)))
model.add(BatchNormalization())
model.add(Activation('relu'))
model.add(Dropout(0.2))
model.add(Dense(10))
model.add(Activation('softmax'))
model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
history = model.fit(X_train, Y_train, batch_size=128, epochs=4, verbose=1, validation_data=(X_test, Y_test))

score = model.evaluate(X_test, Y_test, verbose=0)
print('Test loss:', score[0])
print('Test accuracy:', score[1])
