import Foundation
import XCTest
import GrokSimTestSupport
import _CHDF5
import GrokSimHDF5

/// Reads string attributes laid out the way other writers (h5py, MATLAB, Fortran) store them,
/// created here with the C library directly.
final class ForeignStringAttributeTests: XCTestCase {
    func testReadsPaddedAndVariableLengthStringsFromOtherWriters() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("foreign.h5")
        let file = H5Fcreate(path, groksim_h5f_acc_trunc(), groksim_h5p_default(), groksim_h5p_default())
        XCTAssertGreaterThanOrEqual(file, 0)
        // h5py's fixed-length numpy bytes: NULLPAD, exactly the characters when they fit.
        try writeFixed(file, "nullpad", "adam\0\0", pad: H5T_STR_NULLPAD)
        try writeFixed(file, "full", "exact", pad: H5T_STR_NULLPAD)
        // Fortran style: padded with spaces.
        try writeFixed(file, "spacepad", "sgd     ", pad: H5T_STR_SPACEPAD)
        // h5py's default for str: variable-length UTF-8.
        let type = H5Tcopy(groksim_h5t_c_s1())
        _ = H5Tset_size(type, groksim_h5t_variable())
        _ = H5Tset_cset(type, H5T_CSET_UTF8)
        let space = H5Screate(H5S_SCALAR)
        let attribute = H5Acreate2(file, "vlen", type, space, groksim_h5p_default(), groksim_h5p_default())
        XCTAssertEqual("résumé".withCString { text -> herr_t in
            var pointer: UnsafePointer<CChar>? = text
            return H5Awrite(attribute, type, &pointer)
        }, 0)
        _ = H5Aclose(attribute)
        _ = H5Sclose(space)
        _ = H5Tclose(type)
        XCTAssertEqual(H5Fclose(file), 0)

        let reopened = try HDF5File.open(path: path)
        XCTAssertEqual(try reopened.root.attribute("nullpad", as: String.self), "adam")
        XCTAssertEqual(try reopened.root.attribute("full", as: String.self), "exact")
        XCTAssertEqual(try reopened.root.attribute("spacepad", as: String.self), "sgd")
        XCTAssertEqual(try reopened.root.attribute("vlen", as: String.self), "résumé")
    }

    private func writeFixed(_ file: hid_t, _ name: String, _ bytes: String, pad: H5T_str_t) throws {
        let type = H5Tcopy(groksim_h5t_c_s1())
        defer { _ = H5Tclose(type) }
        XCTAssertEqual(H5Tset_size(type, bytes.utf8.count), 0)
        XCTAssertEqual(H5Tset_strpad(type, pad), 0)
        let space = H5Screate(H5S_SCALAR)
        defer { _ = H5Sclose(space) }
        let attribute = H5Acreate2(file, name, type, space, groksim_h5p_default(), groksim_h5p_default())
        defer { _ = H5Aclose(attribute) }
        XCTAssertEqual(Array(bytes.utf8).withUnsafeBufferPointer { H5Awrite(attribute, type, $0.baseAddress) }, 0)
    }
}
